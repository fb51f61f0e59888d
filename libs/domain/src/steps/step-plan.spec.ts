import { ALL_DAYS, at, berlinNineToFive, calendarOf } from '../time/testing/calendar.factory';
import { alwaysOpenCalendar } from '../time/calendar';
import { splitByShares, stepDeadlines, stepDurations, stepEnds, VISIT_STEPS, type StepBreakdown } from './step-plan';

const iso = (d: Date) => d.toISOString();
const b = (arrival: number, diagnosis: number, fix: number, test: number): StepBreakdown => ({
  arrivalMinutes: arrival,
  diagnosisMinutes: diagnosis,
  fixMinutes: fix,
  testMinutes: test,
});

/*
 * Europe/Berlin DST 2026: spring forward Sun 03-29 02:00 CET → 03:00 CEST (a local 00:00–06:00 period is
 * 5 real hours); fall back Sun 10-25 03:00 CEST → 02:00 CET (00:00–06:00 is 7 real hours).
 */
const nightShift = () => calendarOf('Europe/Berlin', [['00:00', '06:00']], ALL_DAYS);

describe('VISIT_STEPS', () => {
  it('lists the four steps, their milestones and breakdown keys in visit order', () => {
    expect(VISIT_STEPS.map((s) => [s.step, s.milestone, s.breakdownKey])).toEqual([
      ['arrival', 'arrived', 'arrivalMinutes'],
      ['diagnosis', 'diagnosed', 'diagnosisMinutes'],
      ['fix', 'fixed', 'fixMinutes'],
      ['test', 'test_passed', 'testMinutes'],
    ]);
  });
});

describe('stepEnds (forward) and stepDeadlines (backward)', () => {
  it.each([
    {
      name: 'wall clock: cumulative minutes',
      calendar: alwaysOpenCalendar('UTC'),
      start: '2026-06-01T10:00:00Z',
      breakdown: b(60, 30, 90, 15),
      ends: ['2026-06-01T11:00:00.000Z', '2026-06-01T11:30:00.000Z', '2026-06-01T13:00:00.000Z', '2026-06-01T13:15:00.000Z'],
    },
    {
      // Fri 16:00 Berlin: arrival ends at Friday's close (17:00), the rest runs on Monday from 09:00.
      name: 'business calendar across a weekend',
      calendar: berlinNineToFive(),
      start: '2026-12-04T15:00:00Z',
      breakdown: b(60, 30, 60, 30),
      ends: ['2026-12-04T16:00:00.000Z', '2026-12-07T08:30:00.000Z', '2026-12-07T09:30:00.000Z', '2026-12-07T10:00:00.000Z'],
    },
    {
      // 00:00 CET = 23:00Z; the local hour 02:00–03:00 does not exist, so 2 h in is 03:00 CEST = 01:00Z.
      name: 'DST spring forward inside a period',
      calendar: nightShift(),
      start: '2026-03-28T23:00:00Z',
      breakdown: b(60, 60, 60, 60),
      ends: ['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z'],
    },
    {
      // 00:00 CEST = 22:00Z; the period closes at 06:00 CET = 05:00Z (7 real hours); the test runs on into
      // the next night, which opens at 00:00 CET = 23:00Z.
      name: 'DST fall back, the last step carried to the next period',
      calendar: nightShift(),
      start: '2026-10-24T22:00:00Z',
      breakdown: b(120, 120, 120, 120),
      ends: ['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T04:00:00.000Z', '2026-10-26T00:00:00.000Z'],
    },
  ])('$name', ({ calendar, start, breakdown, ends }) => {
    const forward = stepEnds(at(start), breakdown, calendar);
    expect(forward.map((e) => [e.step, e.milestone])).toEqual(VISIT_STEPS.map((s) => [s.step, s.milestone]));
    expect(forward.map((e) => iso(e.endsAt))).toEqual(ends);
  });

  it.each([
    {
      name: 'wall clock',
      calendar: alwaysOpenCalendar('UTC'),
      promisedAt: '2026-06-01T13:15:00Z',
      breakdown: b(60, 30, 90, 15),
      by: ['2026-06-01T11:00:00.000Z', '2026-06-01T11:30:00.000Z', '2026-06-01T13:00:00.000Z', '2026-06-01T13:15:00.000Z'],
    },
    {
      // Mon 11:00 Berlin; 150 business minutes back lands exactly on Monday's opening (09:00), not Friday's close.
      name: 'business calendar: a deadline on an opening is that opening',
      calendar: berlinNineToFive(),
      promisedAt: '2026-12-07T10:00:00Z',
      breakdown: b(60, 30, 60, 30),
      by: ['2026-12-07T08:00:00.000Z', '2026-12-07T08:30:00.000Z', '2026-12-07T09:30:00.000Z', '2026-12-07T10:00:00.000Z'],
    },
    {
      // Mon 09:30 Berlin: the fix ends by Monday's opening, diagnosis and arrival fall back into Friday afternoon.
      name: 'business calendar across a weekend, backwards',
      calendar: berlinNineToFive(),
      promisedAt: '2026-12-07T08:30:00Z',
      breakdown: b(60, 30, 60, 30),
      by: ['2026-12-04T14:30:00.000Z', '2026-12-04T15:00:00.000Z', '2026-12-07T08:00:00.000Z', '2026-12-07T08:30:00.000Z'],
    },
    {
      name: 'DST spring forward, backwards',
      calendar: nightShift(),
      promisedAt: '2026-03-29T03:00:00Z',
      breakdown: b(60, 60, 60, 60),
      by: ['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z'],
    },
    {
      // From 00:00 CET on the 26th (23:00Z on the 25th), 120 min back: the period opening 23:00Z has none
      // before it, so the rest comes from the previous night's close at 05:00Z (06:00 CET).
      name: 'DST fall back, backwards across two periods',
      calendar: nightShift(),
      promisedAt: '2026-10-26T00:00:00Z',
      breakdown: b(120, 120, 120, 120),
      by: ['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T04:00:00.000Z', '2026-10-26T00:00:00.000Z'],
    },
    {
      // A promise on a Saturday (closed): the test ends by the promise itself, not by Monday's opening.
      name: 'a promise outside working time',
      calendar: berlinNineToFive(),
      promisedAt: '2026-12-05T11:00:00Z',
      breakdown: b(60, 30, 60, 30),
      by: ['2026-12-04T14:00:00.000Z', '2026-12-04T14:30:00.000Z', '2026-12-04T15:30:00.000Z', '2026-12-05T11:00:00.000Z'],
    },
  ])('stepDeadlines: $name', ({ calendar, promisedAt, breakdown, by }) => {
    const deadlines = stepDeadlines(at(promisedAt), breakdown, calendar);
    expect(deadlines.map((d) => d.milestone)).toEqual(['arrived', 'diagnosed', 'fixed', 'test_passed']);
    expect(deadlines.map((d) => iso(d.by))).toEqual(by);
  });

  it('missing breakdown keys count as 0 minutes', () => {
    const cal = alwaysOpenCalendar('UTC');
    const ends = stepEnds(at('2026-06-01T10:00:00Z'), { arrivalMinutes: 30, testMinutes: 10 }, cal);
    expect(ends.map((e) => iso(e.endsAt))).toEqual([
      '2026-06-01T10:30:00.000Z',
      '2026-06-01T10:30:00.000Z',
      '2026-06-01T10:30:00.000Z',
      '2026-06-01T10:40:00.000Z',
    ]);
    const by = stepDeadlines(at('2026-06-01T12:00:00Z'), { testMinutes: 10 }, cal);
    expect(by.map((d) => iso(d.by))).toEqual([
      '2026-06-01T11:50:00.000Z',
      '2026-06-01T11:50:00.000Z',
      '2026-06-01T11:50:00.000Z',
      '2026-06-01T12:00:00.000Z',
    ]);
  });

  it('skips pauses both ways', () => {
    const cal = alwaysOpenCalendar('UTC');
    const pauses = [{ from: at('2026-06-01T11:00:00Z'), to: at('2026-06-01T12:00:00Z') }];
    const ends = stepEnds(at('2026-06-01T10:00:00Z'), b(30, 60, 0, 0), cal, pauses);
    expect(ends.map((e) => iso(e.endsAt))).toEqual([
      '2026-06-01T10:30:00.000Z',
      '2026-06-01T12:30:00.000Z',
      '2026-06-01T12:30:00.000Z',
      '2026-06-01T12:30:00.000Z',
    ]);
    const by = stepDeadlines(at('2026-06-01T12:30:00Z'), b(30, 60, 0, 0), cal, pauses);
    expect(iso(by[0].by)).toBe('2026-06-01T10:30:00.000Z');
  });

  it('backward inverts forward on a business calendar (the last end is the promise)', () => {
    const cal = berlinNineToFive();
    for (const start of ['2026-12-03T08:10:00Z', '2026-12-04T15:45:00Z', '2026-12-24T14:00:00Z']) {
      const breakdown = b(95, 20, 240, 45);
      const ends = stepEnds(at(start), breakdown, cal);
      const by = stepDeadlines(ends[3].endsAt, breakdown, cal);
      for (let k = 0; k < 4; k++) {
        // Either the same instant, or a close and the next opening (the same business instant).
        expect(by[k].by.getTime()).toBeGreaterThanOrEqual(ends[k].endsAt.getTime());
        expect(by[k].by.getTime() - ends[k].endsAt.getTime()).toBeLessThan(4 * 86_400_000);
      }
    }
  });
});

describe('stepDurations', () => {
  const opened = at('2026-06-01T10:00:00Z');
  const ms = (kind: string, isoAt: string) => ({ kind, at: at(isoAt) });
  const all = [
    ms('arrived', '2026-06-01T11:00:00Z'),
    ms('diagnosed', '2026-06-01T11:30:00Z'),
    ms('fixed', '2026-06-01T13:00:00Z'),
    ms('test_passed', '2026-06-01T13:15:00Z'),
  ];

  it.each([
    { name: 'all four in order', milestones: all, expected: [60, 30, 90, 15] },
    {
      name: 'first occurrence of a repeated milestone counts',
      milestones: [...all, ms('arrived', '2026-06-01T10:30:00Z'), ms('test_passed', '2026-06-01T14:00:00Z')],
      expected: [30, 60, 90, 15],
    },
    { name: 'other milestone kinds are ignored', milestones: [ms('note', '2026-06-01T09:00:00Z'), ...all], expected: [60, 30, 90, 15] },
    { name: 'a missing milestone', milestones: all.slice(0, 3), expected: null },
    {
      name: 'out of order',
      milestones: [all[0], ms('diagnosed', '2026-06-01T13:30:00Z'), all[2], all[3]],
      expected: null,
    },
    { name: 'before the opening', milestones: [ms('arrived', '2026-06-01T09:00:00Z'), ...all.slice(1)], expected: null },
    {
      name: 'equal times are in order',
      milestones: [all[0], ms('diagnosed', '2026-06-01T11:00:00Z'), all[2], all[3]],
      expected: [60, 0, 120, 15],
    },
  ])('$name', ({ milestones, expected }) => {
    expect(stepDurations(opened, milestones)).toEqual(expected);
  });

  it('measures business minutes on a calendar', () => {
    // Opened Fri 16:00 Berlin, arrived Fri 16:30, diagnosed Mon 09:30, fixed Mon 10:00, tested Mon 10:10.
    const cal = berlinNineToFive();
    const steps = stepDurations(at('2026-12-04T15:00:00Z'), [
      ms('arrived', '2026-12-04T15:30:00Z'),
      ms('diagnosed', '2026-12-07T08:30:00Z'),
      ms('fixed', '2026-12-07T09:00:00Z'),
      ms('test_passed', '2026-12-07T09:10:00Z'),
    ], cal);
    expect(steps).toEqual([30, 60, 30, 10]);
  });
});

describe('splitByShares', () => {
  it.each([
    { total: 240, shares: [1, 1, 1, 1], expected: b(60, 60, 60, 60) },
    { total: 100, shares: [0.5, 0.15, 0.25, 0.1], expected: b(50, 15, 25, 10) },
    { total: 10, shares: [1, 1, 1, 0], expected: b(3, 4, 3, 0) },
    { total: 7, shares: [2, 2, 2, 2], expected: b(2, 2, 1, 2) },
    { total: 90.4, shares: [3, 1, 0, 0], expected: b(68, 22, 0, 0) },
    { total: 0, shares: [1, 2, 3, 4], expected: b(0, 0, 0, 0) },
  ])('$total by $shares', ({ total, shares, expected }) => {
    const split = splitByShares(total, shares);
    expect(split).toEqual(expected);
    expect(Object.values(split).reduce((a, c) => a + c, 0)).toBe(Math.round(total));
  });

  it('sums to the total for any shares', () => {
    for (let total = 0; total < 500; total += 7) {
      const shares = [total % 5, 3, (total % 11) + 0.5, 0.25];
      const split = splitByShares(total, shares);
      expect(Object.values(split).reduce((a, c) => a + c, 0)).toBe(total);
      expect(Object.values(split).every((m) => m >= 0)).toBe(true);
    }
  });

  it.each([
    [60, [1, 1, 1]],
    [60, [0, 0, 0, 0]],
    [60, [1, -1, 1, 1]],
    [60, [1, Number.NaN, 1, 1]],
    [-5, [1, 1, 1, 1]],
    [Number.POSITIVE_INFINITY, [1, 1, 1, 1]],
  ])('rejects total %p with shares %p', (total, shares) => {
    expect(() => splitByShares(total, shares)).toThrow(RangeError);
  });
});
