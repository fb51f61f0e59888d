import type { CalendarResponse } from '@kept/contracts';
import { arrivalVersusEta, breakdownFromRecommendation, evidenceText, planTimes, STEPS } from './promise-plan';

const breakdown = { arrivalMinutes: 60, diagnosisMinutes: 30, fixMinutes: 60, testMinutes: 30 };

describe('promise plan', () => {
  it('keeps the visit order of the domain steps', () => {
    expect(STEPS).toEqual(['arrivalMinutes', 'diagnosisMinutes', 'fixMinutes', 'testMinutes']);
  });

  it.each([
    {
      name: 'wall clock without a calendar',
      calendar: null,
      ends: ['2026-12-04T16:00:00.000Z', '2026-12-04T16:30:00.000Z', '2026-12-04T17:30:00.000Z', '2026-12-04T18:00:00.000Z'],
    },
    {
      // Fri 16:00 Berlin: arrival ends at Friday's close, the rest on Monday from 09:00.
      name: 'business calendar across a weekend',
      calendar: {
        id: 'c',
        name: 'Office',
        version: 1,
        createdAt: '',
        updatedAt: '',
        definition: {
          timeZone: 'Europe/Berlin',
          week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
          holidays: [],
        },
      } as CalendarResponse,
      ends: ['2026-12-04T16:00:00.000Z', '2026-12-07T08:30:00.000Z', '2026-12-07T09:30:00.000Z', '2026-12-07T10:00:00.000Z'],
    },
  ])('planTimes: $name', ({ calendar, ends }) => {
    const plan = planTimes(new Date('2026-12-04T15:00:00Z'), breakdown, calendar);
    expect(plan.map((p) => [p.key, p.endsAt.toISOString()])).toEqual(STEPS.map((key, i) => [key, ends[i]]));
  });

  it('maps the recommender’s step figures onto the form, arrival at least the ETA', () => {
    const figures = [
      { step: 'test' as const, minutes: 14.6, source: 'history' as const },
      { step: 'arrival' as const, minutes: 40, source: 'history' as const },
      { step: 'fix' as const, minutes: 50, source: 'history' as const },
    ];
    expect(breakdownFromRecommendation(figures, 55)).toEqual({ arrivalMinutes: 55, diagnosisMinutes: 0, fixMinutes: 50, testMinutes: 15 });
  });

  it.each([
    { n: 1, extrapolated: false, basis: 'from 1 similar case', caveat: 'Only 1 similar case: treat the probability as a rough guide.' },
    { n: 19, extrapolated: false, basis: 'from 19 similar cases', caveat: 'Only 19 similar cases: treat the probability as a rough guide.' },
    { n: 20, extrapolated: false, basis: 'from 20 similar cases', caveat: null },
    { n: 500, extrapolated: true, basis: 'from 500 similar cases', caveat: 'Few data for this promise: treat the probability as a rough guide.' },
  ])('says how much history a probability rests on: $n cases', ({ n, extrapolated, basis, caveat }) => {
    expect(evidenceText(n, extrapolated)).toEqual({ basis, caveat });
  });

  it.each([
    { history: 546, eta: 90, source: 'history' },
    { history: 40, eta: 55, source: 'eta' },
    { history: 90.4, eta: 90, source: null },
    { history: 90, eta: null, source: null },
    { history: null, eta: 90, source: null },
  ])('tells why arrival differs from the ETA: history $history, ETA $eta', ({ history, eta, source }) => {
    expect(arrivalVersusEta(history, eta)).toBe(source);
  });
});
