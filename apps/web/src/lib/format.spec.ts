import { formatDuration, formatInstant, formatInstantLong, formatInstantParts, formatPercent, humanize, timeZoneLabel } from './format';

const now = new Date('2026-11-23T12:00:00Z');

describe('formatInstant: one format, the zone always named', () => {
  it.each([
    ['2026-11-23T14:05:00Z', 'UTC', 'Mon 23 Nov, 14:05 UTC'],
    ['2026-11-23T14:05:00Z', 'Europe/Berlin', 'Mon 23 Nov, 15:05 Europe/Berlin'],
    ['2026-11-23T23:30:00Z', 'Europe/Berlin', 'Tue 24 Nov, 00:30 Europe/Berlin'],
    ['2026-11-23T14:05:00Z', 'America/New_York', 'Mon 23 Nov, 09:05 America/New_York'],
    ['2025-12-30T09:15:00Z', 'UTC', 'Tue 30 Dec 2025, 09:15 UTC'],
  ])('formats %s in %s as %s', (iso, timeZone, expected) => {
    expect(formatInstant(iso, { timeZone, now })).toBe(expected);
  });

  it('shows the year when the instant falls in another year in the viewer zone', () => {
    // 31 Dec 2026 23:30 UTC is already 2027 in Berlin; "now" is 2026.
    expect(formatInstant('2026-12-31T23:30:00Z', { timeZone: 'Europe/Berlin', now })).toBe('Fri 1 Jan 2027, 00:30 Europe/Berlin');
  });

  it('does not change with the browser locale: one format across the app', () => {
    expect(formatInstant('2026-11-23T14:05:00Z', { timeZone: 'UTC', locale: 'de-DE', now })).toBe('Mon 23 Nov, 14:05 UTC');
  });

  it('splits into date, time and zone for stacked layouts', () => {
    expect(formatInstantParts('2025-12-30T09:15:00Z', { timeZone: 'UTC', now })).toEqual({ date: 'Tue 30 Dec 2025', time: '09:15', zone: 'UTC' });
  });

  it.each([null, undefined, '', 'not a date'])('returns null for %p', (value) => {
    expect(formatInstant(value, { timeZone: 'UTC', now })).toBeNull();
  });
});

describe('formatInstantLong', () => {
  it('includes weekday, year and zone with its offset', () => {
    expect(formatInstantLong('2026-11-23T14:05:00Z', { timeZone: 'UTC' })).toBe('Monday 23 November 2026, 14:05 UTC (UTC)');
    expect(formatInstantLong('2026-11-23T14:05:00Z', { timeZone: 'Europe/Berlin' })).toBe('Monday 23 November 2026, 15:05 Europe/Berlin (GMT+1)');
  });
});

describe('timeZoneLabel', () => {
  it('names the zone with its current offset', () => {
    expect(timeZoneLabel({ timeZone: 'Europe/Berlin', now })).toBe('Europe/Berlin (GMT+1)');
    expect(timeZoneLabel({ timeZone: 'Europe/Berlin', now: new Date('2026-07-01T12:00:00Z') })).toBe(
      'Europe/Berlin (GMT+2)',
    );
  });

  it('says just UTC for UTC', () => {
    expect(timeZoneLabel({ timeZone: 'UTC', now })).toBe('UTC');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [45, '45 min'],
    [-45, '45 min'],
    [59.6, '1 h'],
    [60, '1 h'],
    [185, '3 h 5 min'],
    [1440, '1 d'],
    [3120, '2 d 4 h'],
    [3125, '2 d 4 h'],
  ])('%p minutes → %s', (minutes, expected) => {
    expect(formatDuration(minutes)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [0.904, '90 %'],
    [0.905, '91 %'],
    [0, '0 %'],
    [1, '100 %'],
    [null, '—'],
  ])('%p → %p', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });
});

describe('humanize', () => {
  it.each([
    ['open', 'Open'],
    ['customer_unavailable', 'Customer unavailable'],
    ['on-site', 'On site'],
  ])('%s → %s', (value, expected) => {
    expect(humanize(value)).toBe(expected);
  });
});
