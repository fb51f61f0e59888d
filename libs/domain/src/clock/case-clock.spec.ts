import { alwaysOpenCalendar } from '../time/calendar';
import { berlinNineToFive } from '../time/testing/calendar.factory';
import { caseClock } from './case-clock';

describe('caseClock', () => {
  const contract = berlinNineToFive();

  it.each([
    { name: 'contract calendar and site', input: { contractCalendar: contract, siteZone: 'America/New_York' }, kind: 'contract', basis: 'business', zone: 'America/New_York', business: true },
    { name: 'contract calendar, no site', input: { contractCalendar: contract, siteZone: null }, kind: 'contract', basis: 'business', zone: 'Europe/Berlin', business: true },
    { name: 'site only', input: { siteZone: 'Asia/Tokyo' }, kind: 'site', basis: 'wall', zone: 'Asia/Tokyo', business: false },
    { name: 'neither', input: {}, kind: 'always', basis: 'wall', zone: 'UTC', business: false },
    { name: 'null contract, null site', input: { contractCalendar: null, siteZone: null }, kind: 'always', basis: 'wall', zone: 'UTC', business: false },
    { name: 'an unknown site zone counts as none', input: { siteZone: 'Mars/Olympus' }, kind: 'always', basis: 'wall', zone: 'UTC', business: false },
    { name: 'an empty site zone counts as none', input: { contractCalendar: contract, siteZone: '' }, kind: 'contract', basis: 'business', zone: 'Europe/Berlin', business: true },
  ])('$name', ({ input, kind, basis, zone, business }) => {
    const clock = caseClock(input);
    expect(clock.kind).toBe(kind);
    expect(clock.basis).toBe(basis);
    expect(clock.zone).toBe(zone);
    expect(clock.wallCalendar).toEqual(alwaysOpenCalendar(zone));
    expect(clock.calendar).toEqual(business ? contract : alwaysOpenCalendar(zone));
  });

  it('returns the contract calendar object itself (compiled calendars are memoised by identity)', () => {
    expect(caseClock({ contractCalendar: contract }).calendar).toBe(contract);
  });
});
