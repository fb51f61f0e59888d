import { engineerMessage, lowerFirst } from './call-text';

const format = (iso: string) => iso.slice(11, 16);
const plan = [
  { key: 'arrivalMinutes' as const, endsAt: new Date('2026-11-23T11:00:00Z') },
  { key: 'diagnosisMinutes' as const, endsAt: new Date('2026-11-23T11:30:00Z') },
  { key: 'fixMinutes' as const, endsAt: new Date('2026-11-23T12:30:00Z') },
  { key: 'testMinutes' as const, endsAt: new Date('2026-11-23T13:00:00Z') },
];

describe('engineerMessage', () => {
  it.each([
    {
      name: 'names the engineer by first name, the customer, each step and the offers',
      engineer: { name: 'Erik Engineer' },
      customer: { name: 'Praxis am Markt' },
      offered: ['Loaner instrument until the fix'],
      text: 'Erik, I promised Praxis am Markt “Analyzer E-42” resolved by 13:00 at the latest: arrival by 11:00, diagnosis by 11:30, fix by 12:30, test by 13:00. Offered: Loaner instrument until the fix. Call me when you have run the first successful test.',
    },
    {
      name: 'falls back to generic words before an engineer and customer are chosen',
      engineer: null,
      customer: null,
      offered: [],
      text: 'Engineer, I promised the customer “Analyzer E-42” resolved by 13:00 at the latest: arrival by 11:00, diagnosis by 11:30, fix by 12:30, test by 13:00. Call me when you have run the first successful test.',
    },
  ])('$name', ({ engineer, customer, offered, text }) => {
    expect(
      engineerMessage({ engineer, customer, summary: '  Analyzer E-42 ', promisedAt: new Date('2026-11-23T13:00:00Z'), plan, offered, format }),
    ).toBe(text);
  });
});

describe('lowerFirst', () => {
  it.each([
    ['The doctor calls', 'the doctor calls'],
    ['', ''],
    ['x', 'x'],
  ])('%p → %p', (text, lowered) => expect(lowerFirst(text)).toBe(lowered));
});
