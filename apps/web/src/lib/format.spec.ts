import { formatDuration, formatInstant, formatInstantLong, formatInstantParts, formatPercent, humanize, timeZoneLabel } from './format';

const now = new Date('2026-11-23T12:00:00Z');

describe('formatInstant', () => {
  it.each([
    ['2026-11-23T14:05:00Z', 'UTC', 'Nov 23, 2:05 PM'],
    ['2026-11-23T14:05:00Z', 'Europe/Berlin', 'Nov 23, 3:05 PM'],
    ['2026-11-23T23:30:00Z', 'Europe/Berlin', 'Nov 24, 12:30 AM'],
    ['2026-11-23T14:05:00Z', 'America/New_York', 'Nov 23, 9:05 AM'],
    ['2025-12-30T09:15:00Z', 'UTC', 'Dec 30, 2025, 9:15 AM'],
  ])('formats %s in %s as %s', (iso, timeZone, expected) => {
    expect(formatInstant(iso, { timeZone, locale: 'en-US', now })).toBe(expected);
  });

  it('shows the year when the instant falls in another year in the viewer zone', () => {
    // 31 Dec 2026 23:30 UTC is already 2027 in Berlin; "now" is 2026.
    expect(formatInstant('2026-12-31T23:30:00Z', { timeZone: 'Europe/Berlin', locale: 'en-US', now })).toBe(
      'Jan 1, 2027, 12:30 AM',
    );
  });

  it('follows the locale', () => {
    expect(formatInstant('2026-11-23T14:05:00Z', { timeZone: 'UTC', locale: 'de-DE', now })).toBe('23. Nov., 14:05');
  });

  it('splits into date and time for stacked layouts', () => {
    expect(formatInstantParts('2025-12-30T09:15:00Z', { timeZone: 'UTC', locale: 'en-US', now })).toEqual({
      date: 'Dec 30, 2025',
      time: '9:15 AM',
    });
  });

  it.each([null, undefined, '', 'not a date'])('returns null for %p', (value) => {
    expect(formatInstant(value, { timeZone: 'UTC', locale: 'en-US', now })).toBeNull();
  });
});

describe('formatInstantLong', () => {
  it('includes weekday, year and zone', () => {
    expect(formatInstantLong('2026-11-23T14:05:00Z', { timeZone: 'UTC', locale: 'en-US' })).toBe(
      'Monday, November 23, 2026 at 2:05:00 PM UTC',
    );
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
