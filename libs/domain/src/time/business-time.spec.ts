import { at, berlinNineToFive, berlinSplitShift, calendarOf } from './testing/calendar.factory';
import { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingInstant } from './business-time';
import { alwaysOpenCalendar } from './calendar';
import type { BusinessCalendar } from './types';

const NINE_TO_FIVE = berlinNineToFive();
const SPLIT_SHIFT = berlinSplitShift();

// Week of Monday 2026-03-02 (CET, +01:00) unless stated otherwise.
const MON = '2026-03-02';
const TUE = '2026-03-03';
const FRI = '2026-03-06';
const SAT = '2026-03-07';
const NEXT_MON = '2026-03-09';
const cet = (date: string, time: string): Date => at(`${date}T${time}+01:00`);

describe('addBusinessTime — Mon–Fri 09:00–17:00 Europe/Berlin', () => {
  it.each([
    ['opening + 8h lands exactly at the close', cet(MON, '09:00'), 480, cet(MON, '17:00')],
    ['one minute past a full day rolls over', cet(MON, '09:00'), 481, cet(TUE, '09:01')],
    ['carries over the night', cet(MON, '16:00'), 120, cet(TUE, '10:00')],
    ['start before opening counts from the opening', cet(MON, '07:00'), 60, cet(MON, '10:00')],
    ['start at midnight counts from the opening', cet(MON, '00:00'), 30, cet(MON, '09:30')],
    ['start exactly at the close counts from the next opening', cet(MON, '17:00'), 1, cet(TUE, '09:01')],
    ['start after the close counts from the next opening', cet(MON, '20:00'), 60, cet(TUE, '10:00')],
    ['start on Saturday counts from Monday', cet(SAT, '10:00'), 60, cet(NEXT_MON, '10:00')],
    ['Friday afternoon rolls over the weekend', cet(FRI, '16:00'), 120, cet(NEXT_MON, '10:00')],
    ['Friday close + a full day is Monday close', cet(FRI, '17:00'), 480, cet(NEXT_MON, '17:00')],
    ['five business days from Monday opening is Friday close', cet(MON, '09:00'), 2400, cet(FRI, '17:00')],
    ['five business days and a minute', cet(MON, '09:00'), 2401, cet(NEXT_MON, '09:01')],
    ['fractional minutes: half a minute', cet(MON, '09:00'), 0.5, cet(MON, '09:00:30')],
    ['fractional minutes: 75 seconds', cet(MON, '09:00'), 1.25, cet(MON, '09:01:15')],
    ['fractional minutes: one millisecond', cet(MON, '09:00'), 1 / 60_000, at(`${MON}T09:00:00.001+01:00`)],
    ['seconds spill over the close', cet(MON, '16:59:30'), 1, cet(TUE, '09:00:30')],
    ['20 business days over a DST weekend', cet(MON, '09:00'), 9600, at('2026-03-27T17:00:00+01:00')],
    ['20 business days and a minute (now CEST)', cet(MON, '09:00'), 9601, at('2026-03-30T09:01:00+02:00')],
  ])('%s', (_name, start, minutes, expected) => {
    expect(addBusinessTime(start, minutes, NINE_TO_FIVE).toISOString()).toBe(expected.toISOString());
  });

  it.each([
    ['inside working time returns start', cet(MON, '12:00'), cet(MON, '12:00')],
    ['exactly at the opening returns start', cet(MON, '09:00'), cet(MON, '09:00')],
    ['before the opening returns the opening', cet(MON, '06:00'), cet(MON, '09:00')],
    ['exactly at the close returns the next opening', cet(MON, '17:00'), cet(TUE, '09:00')],
    ['on the weekend returns Monday opening', cet(SAT, '12:00'), cet(NEXT_MON, '09:00')],
  ])('zero minutes: %s', (_name, start, expected) => {
    expect(addBusinessTime(start, 0, NINE_TO_FIVE).toISOString()).toBe(expected.toISOString());
    expect(addBusinessTime(start, -0, NINE_TO_FIVE).toISOString()).toBe(expected.toISOString());
  });

  it.each([
    ['landing exactly on the opening is that opening', cet(MON, '10:00'), -60, cet(MON, '09:00')],
    ['one minute more goes back to Friday', cet(NEXT_MON, '10:00'), -61, cet(FRI, '16:59')],
    ['from Tuesday opening a full day back', cet(TUE, '09:00'), -480, cet(MON, '09:00')],
    ['from the close a full day back', cet(MON, '17:00'), -480, cet(MON, '09:00')],
    ['from Monday opening one minute back', cet(NEXT_MON, '09:00'), -1, cet(FRI, '16:59')],
    ['from the weekend counts from Friday close', cet(SAT, '12:00'), -60, cet(FRI, '16:00')],
    ['from the evening counts from the close', cet(MON, '22:00'), -30, cet(MON, '16:30')],
    ['fractional negative minutes', cet(MON, '12:00'), -0.5, cet(MON, '11:59:30')],
    ['a whole week back', cet(NEXT_MON, '09:00'), -2400, cet(MON, '09:00')],
  ])('negative minutes: %s', (_name, start, minutes, expected) => {
    expect(addBusinessTime(start, minutes, NINE_TO_FIVE).toISOString()).toBe(expected.toISOString());
  });
});

describe('businessTimeBetween — Mon–Fri 09:00–17:00 Europe/Berlin', () => {
  it.each([
    ['a full day', cet(MON, '09:00'), cet(MON, '17:00'), 480],
    ['a day measured from outside working time', cet(MON, '08:00'), cet(MON, '18:00'), 480],
    ['the night is free', cet(MON, '17:00'), cet(TUE, '09:00'), 0],
    ['over the weekend', cet(FRI, '12:00'), cet(NEXT_MON, '12:00'), 480],
    ['the weekend alone', cet(SAT, '00:00'), cet(NEXT_MON, '00:00'), 0],
    ['a whole week', cet(MON, '00:00'), cet(NEXT_MON, '00:00'), 2400],
    ['one millisecond', cet(MON, '09:00'), at(`${MON}T09:00:00.001+01:00`), 1 / 60_000],
    ['90 seconds', cet(MON, '09:00'), cet(MON, '09:01:30'), 1.5],
    ['equal instants', cet(MON, '10:00'), cet(MON, '10:00'), 0],
    ['reversed is negative', cet(MON, '17:00'), cet(MON, '09:00'), -480],
    ['reversed over the weekend', cet(NEXT_MON, '10:00'), cet(FRI, '16:00'), -120],
    ['four weeks over the DST change', cet(MON, '09:00'), at('2026-03-30T17:00:00+02:00'), 21 * 480],
  ])('%s', (_name, from, to, expected) => {
    expect(businessTimeBetween(from, to, NINE_TO_FIVE)).toBeCloseTo(expected, 9);
  });

  it('never returns negative zero', () => {
    expect(Object.is(businessTimeBetween(cet(SAT, '12:00'), cet(SAT, '10:00'), NINE_TO_FIVE), 0)).toBe(true);
    expect(Object.is(businessTimeBetween(cet(SAT, '10:00'), cet(SAT, '10:00'), NINE_TO_FIVE), 0)).toBe(true);
  });
});

describe('holidays (2026-12-25 and 2026-12-26)', () => {
  const thu = (time: string) => at(`2026-12-24T${time}+01:00`);
  const mon = (time: string) => at(`2026-12-28T${time}+01:00`);

  it('skips a holiday on a weekday', () => {
    expect(addBusinessTime(thu('16:00'), 120, NINE_TO_FIVE).toISOString()).toBe(mon('10:00').toISOString());
    expect(businessTimeBetween(thu('09:00'), mon('09:00'), NINE_TO_FIVE)).toBe(480);
    expect(addBusinessTime(mon('10:00'), -120, NINE_TO_FIVE).toISOString()).toBe(thu('16:00').toISOString());
  });

  it('has no working time on the holiday', () => {
    expect(isWorkingTime(at('2026-12-25T12:00:00+01:00'), NINE_TO_FIVE)).toBe(false);
    expect(nextWorkingInstant(at('2026-12-25T12:00:00+01:00'), NINE_TO_FIVE).toISOString()).toBe(
      mon('09:00').toISOString(),
    );
    expect(businessTimeBetween(at('2026-12-25T00:00:00+01:00'), at('2026-12-26T00:00:00+01:00'), NINE_TO_FIVE)).toBe(0);
  });

  it('holidays are local dates: a holiday in Kolkata starts at local midnight', () => {
    const cal = calendarOf('Asia/Kolkata', [['00:00', '24:00']], undefined, ['2026-03-03']);
    // Tue 2026-03-03 in IST is [2026-03-02T18:30Z, 2026-03-03T18:30Z).
    expect(isWorkingTime(at('2026-03-02T18:29:59.999Z'), cal)).toBe(true);
    expect(isWorkingTime(at('2026-03-02T18:30:00Z'), cal)).toBe(false);
    expect(nextWorkingInstant(at('2026-03-02T20:00:00Z'), cal).toISOString()).toBe('2026-03-03T18:30:00.000Z');
    expect(businessTimeBetween(at('2026-03-02T00:00:00Z'), at('2026-03-04T00:00:00Z'), cal)).toBe(18.5 * 60 + 5.5 * 60);
  });
});

describe('split shift 08:00–12:00 + 13:00–17:00', () => {
  it.each([
    ['landing exactly at the lunch close is that close', cet(MON, '11:00'), 60, cet(MON, '12:00')],
    ['one minute more continues after lunch', cet(MON, '11:00'), 61, cet(MON, '13:01')],
    ['a start in the lunch gap counts from 13:00', cet(MON, '12:30'), 30, cet(MON, '13:30')],
    ['zero minutes in the lunch gap is the afternoon opening', cet(MON, '12:30'), 0, cet(MON, '13:00')],
    ['zero minutes exactly at the lunch close is the afternoon opening', cet(MON, '12:00'), 0, cet(MON, '13:00')],
    ['a full split day', cet(MON, '08:00'), 480, cet(MON, '17:00')],
    ['backwards over lunch', cet(MON, '13:00'), -1, cet(MON, '11:59')],
    ['backwards landing on the afternoon opening', cet(MON, '13:30'), -30, cet(MON, '13:00')],
    ['backwards from inside lunch', cet(MON, '12:30'), -30, cet(MON, '11:30')],
    ['backwards past the afternoon opening', cet(MON, '13:30'), -31, cet(MON, '11:59')],
  ])('%s', (_name, start, minutes, expected) => {
    expect(addBusinessTime(start, minutes, SPLIT_SHIFT).toISOString()).toBe(expected.toISOString());
  });

  it('measures around the lunch gap', () => {
    expect(businessTimeBetween(cet(MON, '11:00'), cet(MON, '14:00'), SPLIT_SHIFT)).toBe(120);
    expect(businessTimeBetween(cet(MON, '12:00'), cet(MON, '13:00'), SPLIT_SHIFT)).toBe(0);
    expect(businessTimeBetween(cet(MON, '00:00'), cet(TUE, '00:00'), SPLIT_SHIFT)).toBe(480);
  });

  it.each([
    [cet(MON, '07:59:59.999'), false],
    [cet(MON, '08:00'), true],
    [cet(MON, '11:59:59.999'), true],
    [cet(MON, '12:00'), false],
    [cet(MON, '12:59:59.999'), false],
    [cet(MON, '13:00'), true],
    [cet(MON, '17:00'), false],
    [cet(SAT, '10:00'), false],
  ])('isWorkingTime(%s) is %s', (instant, expected) => {
    expect(isWorkingTime(instant, SPLIT_SHIFT)).toBe(expected);
  });

  it('touching periods behave like one period', () => {
    const touching = calendarOf('Europe/Berlin', [
      ['09:00', '12:00'],
      ['12:00', '17:00'],
    ]);
    expect(addBusinessTime(cet(MON, '11:00'), 120, touching).toISOString()).toBe(cet(MON, '13:00').toISOString());
    expect(isWorkingTime(cet(MON, '12:00'), touching)).toBe(true);
    expect(businessTimeBetween(cet(MON, '00:00'), cet(TUE, '00:00'), touching)).toBe(480);
  });
});

describe('nextWorkingInstant and isWorkingTime', () => {
  it.each([
    [cet(MON, '09:00'), cet(MON, '09:00')],
    [cet(MON, '16:59:59.999'), cet(MON, '16:59:59.999')],
    [cet(MON, '17:00'), cet(TUE, '09:00')],
    [cet(FRI, '17:00'), cet(NEXT_MON, '09:00')],
    [cet(SAT, '03:00'), cet(NEXT_MON, '09:00')],
  ])('nextWorkingInstant(%s) = %s', (instant, expected) => {
    expect(nextWorkingInstant(instant, NINE_TO_FIVE).toISOString()).toBe(expected.toISOString());
    expect(isWorkingTime(instant, NINE_TO_FIVE)).toBe(instant.getTime() === expected.getTime());
  });

  it('returns a new Date, not the argument', () => {
    const start = cet(MON, '10:00');
    expect(nextWorkingInstant(start, NINE_TO_FIVE)).not.toBe(start);
    expect(addBusinessTime(start, 0, NINE_TO_FIVE)).not.toBe(start);
  });
});

describe('other zones and shapes', () => {
  it('Asia/Kolkata (+05:30) 09:00–17:00', () => {
    const cal = calendarOf('Asia/Kolkata', [['09:00', '17:00']]);
    expect(addBusinessTime(at('2026-03-02T03:30:00Z'), 480, cal).toISOString()).toBe('2026-03-02T11:30:00.000Z');
    expect(addBusinessTime(at('2026-03-02T11:30:00Z'), 1, cal).toISOString()).toBe('2026-03-03T03:31:00.000Z');
    expect(nextWorkingInstant(at('2026-03-02T00:00:00Z'), cal).toISOString()).toBe('2026-03-02T03:30:00.000Z');
    expect(businessTimeBetween(at('2026-03-02T00:00:00Z'), at('2026-03-09T00:00:00Z'), cal)).toBe(2400);
  });

  it('a Saturday-only calendar', () => {
    const cal = calendarOf('Asia/Kolkata', [['10:00', '14:00']], ['sat']);
    expect(addBusinessTime(at('2026-03-02T10:00:00+05:30'), 60, cal).toISOString()).toBe('2026-03-07T05:30:00.000Z');
    expect(addBusinessTime(at('2026-03-02T10:00:00+05:30'), 241, cal).toISOString()).toBe('2026-03-14T04:31:00.000Z');
    expect(addBusinessTime(at('2026-03-02T10:00:00+05:30'), -1, cal).toISOString()).toBe('2026-02-28T08:29:00.000Z');
    expect(businessTimeBetween(at('2026-03-02T00:00:00Z'), at('2026-03-09T00:00:00Z'), cal)).toBe(240);
  });

  it('a night shift 22:00–24:00 followed by 00:00–06:00 runs through midnight', () => {
    const cal: BusinessCalendar = calendarOf(
      'Europe/Berlin',
      [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    );
    expect(addBusinessTime(cet(MON, '23:00'), 120, cal).toISOString()).toBe(cet(TUE, '01:00').toISOString());
    expect(isWorkingTime(cet(TUE, '00:00'), cal)).toBe(true);
    expect(businessTimeBetween(cet(MON, '21:00'), cet(TUE, '07:00'), cal)).toBe(480);
  });

  it('24/7 UTC equals wall time', () => {
    const cal = alwaysOpenCalendar();
    const start = at('2026-06-15T13:37:42.123Z');
    expect(addBusinessTime(start, 10_000, cal).getTime()).toBe(start.getTime() + 10_000 * 60_000);
    expect(addBusinessTime(start, -10_000, cal).getTime()).toBe(start.getTime() - 10_000 * 60_000);
    expect(businessTimeBetween(start, at('2027-01-01T00:00:00Z'), cal)).toBe(
      (Date.UTC(2027, 0, 1) - start.getTime()) / 60_000,
    );
    expect(isWorkingTime(start, cal)).toBe(true);
  });

  it('24/7 in a DST zone equals wall time away from DST', () => {
    const cal = alwaysOpenCalendar('Europe/Berlin');
    const start = at('2026-06-15T22:30:00+02:00');
    expect(addBusinessTime(start, 600, cal).toISOString()).toBe(at('2026-06-16T08:30:00+02:00').toISOString());
    expect(businessTimeBetween(start, at('2026-06-18T22:30:00+02:00'), cal)).toBe(3 * 1440);
  });
});

describe('argument validation', () => {
  it.each([
    ['an invalid start', () => addBusinessTime(new Date(Number.NaN), 1, NINE_TO_FIVE)],
    ['NaN minutes', () => addBusinessTime(cet(MON, '10:00'), Number.NaN, NINE_TO_FIVE)],
    ['infinite minutes', () => addBusinessTime(cet(MON, '10:00'), Number.POSITIVE_INFINITY, NINE_TO_FIVE)],
    ['a non-Date start', () => addBusinessTime('2026-03-02' as unknown as Date, 1, NINE_TO_FIVE)],
    ['an invalid from', () => businessTimeBetween(new Date('nope'), cet(MON, '10:00'), NINE_TO_FIVE)],
    ['an invalid to', () => businessTimeBetween(cet(MON, '10:00'), new Date('nope'), NINE_TO_FIVE)],
    ['an invalid at', () => isWorkingTime(new Date('nope'), NINE_TO_FIVE)],
    ['an invalid at (next)', () => nextWorkingInstant(new Date('nope'), NINE_TO_FIVE)],
    [
      'an invalid calendar (add)',
      () => addBusinessTime(cet(MON, '10:00'), 1, berlinNineToFive({ timeZone: 'Mars/Olympus' })),
    ],
    [
      'an invalid calendar (between)',
      () => businessTimeBetween(cet(MON, '10:00'), cet(MON, '10:00'), berlinNineToFive({ holidays: ['2026-02-30'] })),
    ],
    [
      'an invalid calendar (isWorkingTime)',
      () => isWorkingTime(cet(MON, '10:00'), calendarOf('UTC', [['17:00', '09:00']])),
    ],
    ['a calendar without working time', () => nextWorkingInstant(cet(MON, '10:00'), calendarOf('UTC', []))],
    [
      'an invalid pause date',
      () => addBusinessTime(cet(MON, '10:00'), 1, NINE_TO_FIVE, [{ from: new Date('x'), to: null }]),
    ],
  ])('throws RangeError for %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });

  it('names the calendar problems in the error', () => {
    expect(() => addBusinessTime(cet(MON, '10:00'), 1, berlinNineToFive({ timeZone: 'Mars/Olympus' }))).toThrow(
      /Mars\/Olympus/,
    );
  });

  it('gives up after ~100 years instead of looping forever', () => {
    const pauses = [{ from: at('2026-01-01T00:00:00Z'), to: at('2200-01-01T00:00:00Z') }];
    expect(() => addBusinessTime(at('2026-06-01T00:00:00Z'), 1, NINE_TO_FIVE, pauses)).toThrow(RangeError);
    expect(() => nextWorkingInstant(at('2026-06-01T00:00:00Z'), NINE_TO_FIVE, pauses)).toThrow(RangeError);
    const pastPauses = [{ from: at('1850-01-01T00:00:00Z'), to: at('2026-06-01T00:00:00Z') }];
    expect(() => addBusinessTime(at('2026-01-01T00:00:00Z'), -1, NINE_TO_FIVE, pastPauses)).toThrow(RangeError);
    expect(() => businessTimeBetween(at('1900-01-01T00:00:00Z'), at('2100-01-01T00:00:00Z'), NINE_TO_FIVE)).toThrow(
      RangeError,
    );
  });

  it('still finds business time decades ahead when it exists', () => {
    const pauses = [{ from: at('2026-01-01T00:00:00Z'), to: at('2076-01-01T00:00:00Z') }];
    // 2076-01-01 is a Wednesday: opens 09:00 CET (08:00Z), plus 60 minutes.
    expect(addBusinessTime(at('2026-06-01T00:00:00Z'), 60, NINE_TO_FIVE, pauses).toISOString()).toBe(
      '2076-01-01T09:00:00.000Z',
    );
  });
});
