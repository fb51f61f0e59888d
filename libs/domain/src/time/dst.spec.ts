import { ALL_DAYS, at, calendarOf } from './testing/calendar.factory';
import { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingInstant } from './business-time';
import { alwaysOpenCalendar } from './calendar';

/*
 * DST dates used here:
 * - Europe/Berlin: spring forward Sun 2026-03-29 02:00 CET → 03:00 CEST; fall back Sun 2026-10-25 03:00 CEST → 02:00 CET.
 * - America/New_York: spring forward Sun 2026-03-08 02:00 EST → 03:00 EDT; fall back Sun 2026-11-01 02:00 EDT → 01:00 EST.
 * - Australia/Lord_Howe (30-minute DST): fall back Sun 2026-04-05 02:00 (+11) → 01:30 (+10:30);
 *   spring forward Sun 2026-10-04 02:00 (+10:30) → 02:30 (+11).
 */

describe('24/7 calendars on DST days (00:00–24:00 is 23 or 25 real hours)', () => {
  it.each([
    ['Berlin spring forward', 'Europe/Berlin', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 23 * 60],
    ['Berlin fall back', 'Europe/Berlin', '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 25 * 60],
    ['New York spring forward', 'America/New_York', '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00', 23 * 60],
    ['New York fall back', 'America/New_York', '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00', 25 * 60],
    [
      'Lord Howe fall back (half hour)',
      'Australia/Lord_Howe',
      '2026-04-05T00:00:00+11:00',
      '2026-04-06T00:00:00+10:30',
      24.5 * 60,
    ],
    [
      'Lord Howe spring forward (half hour)',
      'Australia/Lord_Howe',
      '2026-10-04T00:00:00+10:30',
      '2026-10-05T00:00:00+11:00',
      23.5 * 60,
    ],
  ])('%s', (_name, zone, dayStart, nextDayStart, minutes) => {
    const cal = alwaysOpenCalendar(zone);
    expect(businessTimeBetween(at(dayStart), at(nextDayStart), cal)).toBe(minutes);
    expect(addBusinessTime(at(dayStart), minutes, cal).toISOString()).toBe(at(nextDayStart).toISOString());
    expect(addBusinessTime(at(nextDayStart), -minutes, cal).toISOString()).toBe(at(dayStart).toISOString());
  });

  it('a 24/7 calendar counts real elapsed time across a DST change', () => {
    const cal = alwaysOpenCalendar('America/New_York');
    const start = at('2026-03-07T12:00:00-05:00');
    expect(addBusinessTime(start, 1440, cal).toISOString()).toBe('2026-03-08T17:00:00.000Z'); // 13:00 EDT
    expect(businessTimeBetween(start, at('2026-03-09T12:00:00-04:00'), cal)).toBe(47 * 60);
  });

  it('a Saturday+Sunday 00:00–24:00 calendar has a 49-hour weekend when DST ends on it', () => {
    const cal = calendarOf('Europe/Berlin', [['00:00', '24:00']], ['sat', 'sun']);
    expect(businessTimeBetween(at('2026-10-24T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'), cal)).toBe(49 * 60);
    expect(addBusinessTime(at('2026-10-23T18:00:00+02:00'), 49 * 60, cal).toISOString()).toBe(
      at('2026-10-26T00:00:00+01:00').toISOString(),
    );
    expect(nextWorkingInstant(at('2026-10-26T00:00:00+01:00'), cal).toISOString()).toBe(
      at('2026-10-31T00:00:00+01:00').toISOString(),
    );
  });
});

describe('09:00–17:00 stays 8 hours on DST days', () => {
  const daily = (zone: string) => calendarOf(zone, [['09:00', '17:00']], ALL_DAYS);

  it.each([
    ['Berlin spring forward', 'Europe/Berlin', '2026-03-29T09:00:00+02:00', '2026-03-29T17:00:00+02:00'],
    ['Berlin fall back', 'Europe/Berlin', '2026-10-25T09:00:00+01:00', '2026-10-25T17:00:00+01:00'],
    ['New York spring forward', 'America/New_York', '2026-03-08T09:00:00-04:00', '2026-03-08T17:00:00-04:00'],
    ['New York fall back', 'America/New_York', '2026-11-01T09:00:00-05:00', '2026-11-01T17:00:00-05:00'],
  ])('%s', (_name, zone, open, close) => {
    const cal = daily(zone);
    expect(businessTimeBetween(at(open), at(close), cal)).toBe(480);
    const nightBefore = new Date(at(open).getTime() - 9 * 3_600_000);
    expect(addBusinessTime(nightBefore, 0, cal).toISOString()).toBe(at(open).toISOString());
    expect(addBusinessTime(at(open), 480, cal).toISOString()).toBe(at(close).toISOString());
    expect(addBusinessTime(at(close), -480, cal).toISOString()).toBe(at(open).toISOString());
  });

  it('weekday hours over a DST weekend: Friday afternoon to Monday morning', () => {
    const cal = calendarOf('Europe/Berlin', [['09:00', '17:00']]);
    expect(addBusinessTime(at('2026-03-27T16:00:00+01:00'), 120, cal).toISOString()).toBe(
      at('2026-03-30T10:00:00+02:00').toISOString(),
    );
    expect(addBusinessTime(at('2026-10-23T16:00:00+02:00'), 120, cal).toISOString()).toBe(
      at('2026-10-26T10:00:00+01:00').toISOString(),
    );
    expect(businessTimeBetween(at('2026-03-27T09:00:00+01:00'), at('2026-03-30T17:00:00+02:00'), cal)).toBe(960);
  });
});

describe('periods touching the skipped or repeated hour', () => {
  const sunday = (zone: string, open: string, close: string) => calendarOf(zone, [[open, close]], ['sun']);

  it('Berlin: a period opening inside the skipped hour opens at the shifted instant (02:30 → 03:30 CEST)', () => {
    const cal = sunday('Europe/Berlin', '02:30', '06:00');
    const opening = '2026-03-29T01:30:00.000Z'; // 03:30 CEST
    expect(nextWorkingInstant(at('2026-03-29T00:00:00+01:00'), cal).toISOString()).toBe(opening);
    expect(isWorkingTime(at('2026-03-29T03:00:00+02:00'), cal)).toBe(false);
    expect(isWorkingTime(at(opening), cal)).toBe(true);
    expect(businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), cal)).toBe(150);
    expect(addBusinessTime(at('2026-03-29T00:00:00+01:00'), 150, cal).toISOString()).toBe(
      at('2026-03-29T06:00:00+02:00').toISOString(),
    );
    // A normal Sunday has the full 3.5 hours.
    expect(businessTimeBetween(at('2026-03-22T00:00:00+01:00'), at('2026-03-23T00:00:00+01:00'), cal)).toBe(210);
  });

  it('New York: a period opening inside the skipped hour (02:30 → 03:30 EDT)', () => {
    const cal = sunday('America/New_York', '02:30', '06:00');
    expect(nextWorkingInstant(at('2026-03-08T00:00:00-05:00'), cal).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(businessTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'), cal)).toBe(150);
  });

  it('Berlin: a period spanning the skipped hour loses it (01:00–03:00 is one real hour)', () => {
    const cal = sunday('Europe/Berlin', '01:00', '03:00');
    expect(businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), cal)).toBe(60);
    expect(addBusinessTime(at('2026-03-29T00:00:00+01:00'), 60, cal).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('Berlin: a period closing inside the skipped hour closes at the shifted instant (01:00–02:30 → 01:00–03:30 CEST)', () => {
    const cal = sunday('Europe/Berlin', '01:00', '02:30');
    expect(businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), cal)).toBe(90);
  });

  it('Berlin: periods that collapse inside the skipped hour are merged, not double counted', () => {
    // 02:30 → 03:30 CEST (01:30Z) but 03:00 CEST is 01:00Z: the second period starts before the first ends.
    const cal = calendarOf(
      'Europe/Berlin',
      [
        ['01:00', '02:30'],
        ['03:00', '04:00'],
      ],
      ['sun'],
    );
    // Real coverage: 00:00Z–01:30Z ∪ 01:00Z–02:00Z = 00:00Z–02:00Z = 120 minutes.
    expect(businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'), cal)).toBe(120);
  });

  it('Berlin: a period spanning the repeated hour gains it (01:00–04:00 is four real hours)', () => {
    const cal = sunday('Europe/Berlin', '01:00', '04:00');
    expect(businessTimeBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'), cal)).toBe(240);
  });

  it('Berlin: an ambiguous opening takes the earlier occurrence (02:30 CEST)', () => {
    const cal = sunday('Europe/Berlin', '02:30', '04:00');
    expect(nextWorkingInstant(at('2026-10-25T00:00:00+02:00'), cal).toISOString()).toBe(
      at('2026-10-25T02:30:00+02:00').toISOString(),
    );
    expect(businessTimeBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'), cal)).toBe(150);
  });

  it('New York: an ambiguous close takes the earlier occurrence (01:30 EDT)', () => {
    const cal = sunday('America/New_York', '00:00', '01:30');
    expect(businessTimeBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'), cal)).toBe(90);
    expect(isWorkingTime(at('2026-11-01T01:15:00-05:00'), cal)).toBe(false); // the second 01:15 (EST)
  });

  it('Lord Howe: half-hour gap and half-hour repeat', () => {
    const spring = calendarOf('Australia/Lord_Howe', [['02:00', '03:00']], ['sun']);
    // 02:00 is skipped on 2026-10-04 → 02:30 (+11) = 15:30Z; 03:00 (+11) = 16:00Z.
    expect(nextWorkingInstant(at('2026-10-04T00:00:00+10:30'), spring).toISOString()).toBe('2026-10-03T15:30:00.000Z');
    expect(businessTimeBetween(at('2026-10-04T00:00:00+10:30'), at('2026-10-05T00:00:00+11:00'), spring)).toBe(30);
    const autumn = calendarOf('Australia/Lord_Howe', [['01:45', '03:00']], ['sun']);
    // 01:45 is repeated on 2026-04-05 → earlier (+11) = 14:45Z; 03:00 (+10:30) = 16:30Z.
    expect(businessTimeBetween(at('2026-04-05T00:00:00+11:00'), at('2026-04-06T00:00:00+10:30'), autumn)).toBe(105);
  });
});
