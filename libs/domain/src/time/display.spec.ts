import { displayInstant, formatInstantIn, formatInstantLongIn } from './display';

const at = (iso: string) => new Date(iso);
const now = at('2026-12-01T08:00:00Z');

describe('displayInstant / formatInstantIn: one format, the zone always named', () => {
  it.each([
    // The case: the engineer's message for a site in Berlin, whoever reads or writes it.
    ['2026-12-01T16:19:00Z', 'Europe/Berlin', 'Tue 1 Dec, 17:19 Europe/Berlin'],
    ['2026-12-01T16:19:00Z', 'America/New_York', 'Tue 1 Dec, 11:19 America/New_York'],
    ['2026-12-01T16:19:00Z', 'Asia/Kolkata', 'Tue 1 Dec, 21:49 Asia/Kolkata'],
    ['2026-12-01T16:19:00Z', 'UTC', 'Tue 1 Dec, 16:19 UTC'],
    ['2026-12-01T16:19:00Z', 'Etc/UTC', 'Tue 1 Dec, 16:19 UTC'],
    // Summer time: Berlin is UTC+2 on 1 July.
    ['2026-07-01T10:00:00Z', 'Europe/Berlin', 'Wed 1 Jul, 12:00 Europe/Berlin'],
    // Another year than now's (in that zone) shows the year; New Year's Eve in UTC is already 2027 in Tokyo.
    ['2025-12-30T08:15:00Z', 'Europe/Berlin', 'Tue 30 Dec 2025, 09:15 Europe/Berlin'],
    ['2026-12-31T20:00:00Z', 'Asia/Tokyo', 'Fri 1 Jan 2027, 05:00 Asia/Tokyo'],
  ])('%s in %s → %s', (iso, zone, text) => {
    expect(formatInstantIn(at(iso), zone, now)).toBe(text);
  });

  it('splits the parts for narrow layouts', () => {
    expect(displayInstant(at('2026-12-01T16:19:00Z'), 'Europe/Berlin', now)).toEqual({ date: 'Tue 1 Dec', time: '17:19', zone: 'Europe/Berlin' });
  });

  it('gives a long form with the offset for tooltips', () => {
    expect(formatInstantLongIn(at('2026-12-01T16:19:00Z'), 'Europe/Berlin')).toBe('Tuesday 1 December 2026, 17:19 Europe/Berlin (GMT+1)');
    expect(formatInstantLongIn(at('2026-12-01T16:19:00Z'), 'Asia/Kolkata')).toBe('Tuesday 1 December 2026, 21:49 Asia/Kolkata (GMT+5:30)');
    expect(formatInstantLongIn(at('2026-12-01T16:19:00Z'), 'UTC')).toBe('Tuesday 1 December 2026, 16:19 UTC (UTC)');
  });
});
