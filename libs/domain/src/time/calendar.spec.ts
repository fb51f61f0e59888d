import { berlinNineToFive, berlinSplitShift, calendarOf } from './testing/calendar.factory';
import { addBusinessTime, businessTimeBetween } from './business-time';
import { alwaysOpenCalendar, compileCalendar, validateCalendar } from './calendar';
import { parseLocalDate } from './local-date';
import { WEEKDAYS, type BusinessCalendar } from './types';

const NINE_TO_FIVE = berlinNineToFive();
const SPLIT_SHIFT = berlinSplitShift();

const withWeek = (week: Partial<BusinessCalendar['week']>): BusinessCalendar =>
  ({ timeZone: 'Europe/Berlin', week, holidays: [] }) as unknown as BusinessCalendar;

describe('alwaysOpenCalendar', () => {
  it('is 00:00–24:00 every day in UTC by default', () => {
    const cal = alwaysOpenCalendar();
    expect(cal.timeZone).toBe('UTC');
    expect(cal.holidays).toEqual([]);
    for (const day of WEEKDAYS) expect(cal.week[day]).toEqual([['00:00', '24:00']]);
    expect(validateCalendar(cal)).toEqual([]);
  });

  it('takes a zone and returns independent objects', () => {
    const a = alwaysOpenCalendar('America/New_York');
    const b = alwaysOpenCalendar('America/New_York');
    expect(a.timeZone).toBe('America/New_York');
    a.week.mon.push(['00:00', '01:00']);
    expect(b.week.mon).toEqual([['00:00', '24:00']]);
  });
});

describe('validateCalendar', () => {
  it.each([
    ['9–17 weekdays', NINE_TO_FIVE],
    ['split shift', SPLIT_SHIFT],
    ['24/7', alwaysOpenCalendar('Asia/Kolkata')],
    [
      'half-hour zone with holidays',
      calendarOf('Australia/Lord_Howe', [['08:30', '16:30']], undefined, ['2026-01-26']),
    ],
    [
      'touching periods',
      calendarOf('UTC', [
        ['08:00', '12:00'],
        ['12:00', '24:00'],
      ]),
    ],
    ['Saturday only', calendarOf('UTC', [['10:00', '14:00']], ['sat'])],
    ['missing weekdays count as closed', withWeek({ wed: [['09:00', '10:00']] })],
    ['leap day holiday', calendarOf('UTC', [['09:00', '17:00']], undefined, ['2028-02-29'])],
  ])('accepts %s', (_name, cal) => {
    expect(validateCalendar(cal)).toEqual([]);
  });

  it.each([
    ['an unknown zone', berlinNineToFive({ timeZone: 'Europe/Atlantis' }), /timeZone "Europe\/Atlantis"/],
    ['an empty zone', berlinNineToFive({ timeZone: '' }), /timeZone/],
    ['a non-string zone', berlinNineToFive({ timeZone: 42 as unknown as string }), /timeZone 42/],
    ['a time without leading zero', withWeek({ mon: [['9:00', '17:00']] }), /week\.mon\[0\]: open "9:00"/],
    ['a time past 23:59', withWeek({ mon: [['09:00', '24:30']] }), /close "24:30"/],
    ['minutes past 59', withWeek({ mon: [['09:60', '17:00']] }), /open "09:60"/],
    ['garbage time', withWeek({ mon: [['nine', '17:00']] }), /not a valid HH:mm/],
    ['a period that is not a pair', withWeek({ mon: [['09:00']] as unknown as [string, string][] }), /must be a pair/],
    [
      'a day that is not an array',
      withWeek({ mon: '09:00-17:00' as unknown as [string, string][] }),
      /week\.mon must be an array/,
    ],
    ['close before open', withWeek({ mon: [['17:00', '09:00']] }), /close 09:00 must be after open 17:00/],
    ['close equal to open', withWeek({ mon: [['09:00', '09:00']] }), /must be after open/],
    ['24:00 as an opening', withWeek({ mon: [['24:00', '24:00']] }), /must be after open/],
    [
      'overlapping periods',
      withWeek({
        tue: [
          ['08:00', '12:00'],
          ['11:00', '17:00'],
        ],
      }),
      /week\.tue\[1\].*overlaps/,
    ],
    [
      'unsorted periods',
      withWeek({
        tue: [
          ['13:00', '17:00'],
          ['08:00', '12:00'],
        ],
      }),
      /sorted/,
    ],
    [
      'an unknown weekday key',
      withWeek({ mon: [['09:00', '17:00']], monday: [] } as never),
      /week\.monday is not a weekday/,
    ],
    ['an impossible holiday', berlinNineToFive({ holidays: ['2026-02-30'] }), /holidays\[0\]: "2026-02-30"/],
    ['a badly formatted holiday', berlinNineToFive({ holidays: ['2026-12-25', '25.12.2026'] }), /holidays\[1\]/],
    ['a non-leap-year Feb 29', berlinNineToFive({ holidays: ['2027-02-29'] }), /2027-02-29/],
    [
      'holidays not an array',
      berlinNineToFive({ holidays: '2026-12-25' as unknown as string[] }),
      /holidays must be an array/,
    ],
    ['no working time at all', calendarOf('UTC', []), /no working time/],
    ['a missing week', { timeZone: 'UTC', holidays: [] } as unknown as BusinessCalendar, /week must be an object/],
    ['not an object', null as unknown as BusinessCalendar, /calendar must be an object/],
  ])('rejects %s', (_name, cal, message) => {
    const problems = validateCalendar(cal as BusinessCalendar);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });

  it('reports every problem at once', () => {
    const problems = validateCalendar({
      timeZone: 'Nowhere/City',
      week: { mon: [['17:00', '09:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: ['2026-13-01'],
    });
    expect(problems).toHaveLength(4); // zone, period, holiday, no working time
  });
});

describe('compileCalendar', () => {
  it('memoises by identity and by content', () => {
    const cal = calendarOf('Europe/Berlin', [['09:00', '17:00']]);
    expect(compileCalendar(cal)).toBe(compileCalendar(cal));
    expect(compileCalendar(calendarOf('Europe/Berlin', [['09:00', '17:00']]))).toBe(compileCalendar(cal));
  });

  it('notices a mutated calendar object', () => {
    const cal = calendarOf('Europe/Berlin', [['09:00', '17:00']]);
    const monday = new Date('2026-03-02T09:00:00+01:00');
    expect(addBusinessTime(monday, 480, cal).toISOString()).toBe('2026-03-02T16:00:00.000Z');
    cal.holidays.push('2026-03-02');
    expect(addBusinessTime(monday, 480, cal).toISOString()).toBe('2026-03-03T16:00:00.000Z');
    cal.week.tue[0][1] = '13:00';
    expect(addBusinessTime(monday, 480, cal).toISOString()).toBe('2026-03-04T12:00:00.000Z');
    cal.timeZone = 'UTC';
    expect(addBusinessTime(monday, 0, cal).toISOString()).toBe('2026-03-03T09:00:00.000Z');
    (cal.week as Record<string, unknown>).monday = [];
    expect(() => addBusinessTime(monday, 0, cal)).toThrow(/week\.monday is not a weekday/);
    delete (cal.week as Record<string, unknown>).monday;
    cal.week = { ...cal.week, tue: [] };
    expect(() => compileCalendar({ ...cal, week: { ...cal.week, wed: [['x', 'y']] } })).toThrow(RangeError);
    expect(businessTimeBetween(monday, new Date('2026-03-05T00:00:00Z'), cal)).toBe(480);
  });

  it('builds each local day once and keeps days disjoint', () => {
    const compiled = compileCalendar(alwaysOpenCalendar('Europe/Berlin'));
    const spring = parseLocalDate('2026-03-29') as number;
    const day = compiled.workDay(spring);
    expect(compiled.workDay(spring)).toBe(day);
    expect(new Date(day.start).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(day.end).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(day.intervals).toEqual([day.start, day.end]);
    expect(compiled.workDay(spring + 1).start).toBe(day.end);
  });

  it('has empty holidays and weekends', () => {
    const compiled = compileCalendar(NINE_TO_FIVE);
    expect(compiled.workDay(parseLocalDate('2026-12-25') as number).intervals).toEqual([]);
    expect(compiled.workDay(parseLocalDate('2026-12-27') as number).intervals).toEqual([]);
    expect(compiled.workDay(parseLocalDate('2026-12-28') as number).intervals).toHaveLength(2);
  });
});
