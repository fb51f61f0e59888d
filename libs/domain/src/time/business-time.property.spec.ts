import fc from 'fast-check';
import { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingInstant } from './business-time';
import { alwaysOpenCalendar, validateCalendar } from './calendar';
import { parseClock } from './local-date';
import { WEEKDAYS, type BusinessCalendar, type Pause, type Weekday } from './types';
import { MAX_TIME_MS } from './units';

/*
 * Property tests over random valid calendars: zones with and without DST (incl. half-hour and 45-minute
 * offsets and a zone whose midnight is skipped), random split periods on 15-minute boundaries (touching
 * periods included), random holidays, starts over 2025–2027 and minutes 0…20000.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const EPSILON = 1e-6;

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Santiago',
  'America/St_Johns',
  'Pacific/Chatham',
  'Europe/London',
];

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (quarter: number) =>
  quarter === 96 ? '24:00' : `${pad(Math.floor(quarter / 4))}:${pad((quarter % 4) * 15)}`;

/** 0–3 sorted, non-overlapping (possibly touching) periods on 15-minute boundaries. */
const dayPeriods: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
  {
    weight: 4,
    arbitrary: fc.array(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 }).map((quarters) => {
      const sorted = [...quarters].sort((a, b) => a - b);
      const periods: [string, string][] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) {
        if (sorted[i] < sorted[i + 1]) periods.push([clock(sorted[i]), clock(sorted[i + 1])]);
      }
      return periods;
    }),
  },
);

const localDate = fc
  .integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2027, 11, 31) / DAY })
  .map((day) => new Date(day * DAY).toISOString().slice(0, 10));

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.record({
      mon: dayPeriods,
      tue: dayPeriods,
      wed: dayPeriods,
      thu: dayPeriods,
      fri: dayPeriods,
      sat: dayPeriods,
      sun: dayPeriods,
    }),
    holidays: fc.uniqueArray(localDate, { maxLength: 15 }),
  })
  .filter((calendar) => validateCalendar(calendar).length === 0);

const startArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) - 1 }).map((ms) => new Date(ms));

/** Whole minutes or exact milliseconds expressed in minutes. */
const minutesArb = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }),
  fc.integer({ min: 0, max: 20_000 * MINUTE }).map((ms) => ms / MINUTE),
);

const pausesArb = (around: number): fc.Arbitrary<Pause[]> =>
  fc
    .array(
      fc.record({
        offset: fc.integer({ min: -3 * DAY, max: 60 * DAY }),
        length: fc.integer({ min: 0, max: 5 * DAY }),
        open: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      }),
      { maxLength: 4 },
    )
    .map((specs) =>
      specs.map(({ offset, length, open }) => ({
        from: new Date(around + offset),
        to: open ? null : new Date(around + offset + length),
      })),
    );

const startWithPausesArb = startArb.chain((start) => fc.tuple(fc.constant(start), pausesArb(start.getTime())));

/** Nominal working minutes per week, used to keep targets within ~30 weeks on sparse calendars. */
function weeklyMinutes(calendar: BusinessCalendar): number {
  let total = 0;
  for (const day of WEEKDAYS) {
    for (const [open, close] of calendar.week[day])
      total += (parseClock(close) as number) - (parseClock(open) as number);
  }
  return total;
}

const capped = (minutes: number, calendar: BusinessCalendar) => Math.min(minutes, weeklyMinutes(calendar) * 30);
const near = (actual: number, expected: number) => Math.abs(actual - expected) < EPSILON;

describe('business time properties', () => {
  it('add then measure is the identity: between(s, add(s, m)) == m', () => {
    fc.assert(
      fc.property(calendarArb, startArb, minutesArb, (calendar, start, rawMinutes) => {
        const minutes = capped(rawMinutes, calendar);
        const due = addBusinessTime(start, minutes, calendar);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        return near(businessTimeBetween(start, due, calendar), minutes);
      }),
      { numRuns: 400 },
    );
  });

  it('add then measure is the identity with pauses, or the target is unreachable', () => {
    fc.assert(
      fc.property(calendarArb, startWithPausesArb, minutesArb, (calendar, [start, pauses], rawMinutes) => {
        const minutes = capped(rawMinutes, calendar);
        const due = addBusinessTime(start, minutes, calendar, pauses);
        if (due.getTime() === MAX_TIME_MS) {
          // Only an open-ended pause can make the target unreachable.
          expect(pauses.some((pause) => pause.to === null)).toBe(true);
          return businessTimeBetween(start, due, calendar, pauses) < minutes || minutes === 0;
        }
        return near(businessTimeBetween(start, due, calendar, pauses), minutes);
      }),
      { numRuns: 300 },
    );
  });

  it('backwards is the inverse: between(s, add(s, -m)) == -m', () => {
    fc.assert(
      fc.property(calendarArb, startArb, minutesArb, (calendar, start, rawMinutes) => {
        const minutes = Math.max(capped(rawMinutes, calendar), 1 / MINUTE);
        const earlier = addBusinessTime(start, -minutes, calendar);
        expect(earlier.getTime()).toBeLessThanOrEqual(start.getTime());
        expect(isWorkingTime(earlier, calendar)).toBe(true);
        return near(businessTimeBetween(start, earlier, calendar), -minutes);
      }),
      { numRuns: 300 },
    );
  });

  it('add is monotonic in minutes', () => {
    fc.assert(
      fc.property(calendarArb, startArb, minutesArb, minutesArb, (calendar, start, a, b) => {
        const [m1, m2] = [capped(Math.min(a, b), calendar), capped(Math.max(a, b), calendar)];
        return addBusinessTime(start, m1, calendar).getTime() <= addBusinessTime(start, m2, calendar).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it('between is monotonic in its end', () => {
    fc.assert(
      fc.property(
        calendarArb,
        startArb,
        fc.integer({ min: -20 * DAY, max: 60 * DAY }),
        fc.integer({ min: -20 * DAY, max: 60 * DAY }),
        (calendar, start, a, b) => {
          const t1 = new Date(start.getTime() + Math.min(a, b));
          const t2 = new Date(start.getTime() + Math.max(a, b));
          return businessTimeBetween(start, t1, calendar) <= businessTimeBetween(start, t2, calendar) + EPSILON;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('between is additive and antisymmetric', () => {
    const offset = fc.integer({ min: -40 * DAY, max: 40 * DAY });
    fc.assert(
      fc.property(calendarArb, startWithPausesArb, offset, offset, (calendar, [a, pauses], x, y) => {
        const b = new Date(a.getTime() + x);
        const c = new Date(a.getTime() + y);
        const ab = businessTimeBetween(a, b, calendar, pauses);
        const bc = businessTimeBetween(b, c, calendar, pauses);
        const ac = businessTimeBetween(a, c, calendar, pauses);
        expect(businessTimeBetween(b, a, calendar, pauses)).toBeCloseTo(-ab, 9);
        return near(ab + bc, ac);
      }),
      { numRuns: 300 },
    );
  });

  it('add composes: add(add(s, m1), m2) == add(s, m1 + m2)', () => {
    fc.assert(
      fc.property(calendarArb, startArb, minutesArb, minutesArb, (calendar, start, a, b) => {
        // Whole milliseconds, so that rounding to the millisecond cannot differ between the two sides.
        const m1 = Math.max(Math.floor((capped(a, calendar) / 2) * MINUTE), 1) / MINUTE;
        const m2 = Math.max(Math.floor((capped(b, calendar) / 2) * MINUTE), 1) / MINUTE;
        const stepwise = addBusinessTime(addBusinessTime(start, m1, calendar), m2, calendar);
        return stepwise.getTime() === addBusinessTime(start, m1 + m2, calendar).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it('a due time lies in working time or exactly at a period close', () => {
    fc.assert(
      fc.property(calendarArb, startArb, minutesArb, (calendar, start, rawMinutes) => {
        const minutes = Math.max(capped(rawMinutes, calendar), 1 / MINUTE);
        const due = addBusinessTime(start, minutes, calendar);
        const justBefore = new Date(due.getTime() - 1);
        return isWorkingTime(due, calendar) || isWorkingTime(justBefore, calendar);
      }),
      { numRuns: 300 },
    );
  });

  it('zero minutes is the next working instant, which is working and zero business time away', () => {
    fc.assert(
      fc.property(calendarArb, startArb, (calendar, start) => {
        const next = addBusinessTime(start, 0, calendar);
        expect(next.getTime()).toBe(nextWorkingInstant(start, calendar).getTime());
        expect(isWorkingTime(next, calendar)).toBe(true);
        expect(businessTimeBetween(start, next, calendar)).toBe(0);
        return isWorkingTime(start, calendar) === (next.getTime() === start.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('isWorkingTime agrees with one millisecond of business time', () => {
    fc.assert(
      fc.property(calendarArb, startWithPausesArb, (calendar, [at, pauses]) => {
        const oneMs = businessTimeBetween(at, new Date(at.getTime() + 1), calendar, pauses);
        return isWorkingTime(at, calendar, pauses) === oneMs > 0;
      }),
      { numRuns: 300 },
    );
  });

  it('pauses never increase business time', () => {
    fc.assert(
      fc.property(
        calendarArb,
        startWithPausesArb,
        fc.integer({ min: 0, max: 60 * DAY }),
        (calendar, [start, pauses], span) => {
          const end = new Date(start.getTime() + span);
          return (
            businessTimeBetween(start, end, calendar, pauses) <= businessTimeBetween(start, end, calendar) + EPSILON
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pauses never make a due time earlier', () => {
    fc.assert(
      fc.property(calendarArb, startWithPausesArb, minutesArb, (calendar, [start, pauses], rawMinutes) => {
        const minutes = capped(rawMinutes, calendar);
        return (
          addBusinessTime(start, minutes, calendar, pauses).getTime() >=
          addBusinessTime(start, minutes, calendar).getTime()
        );
      }),
      { numRuns: 200 },
    );
  });

  it('24/7 UTC is wall time', () => {
    const calendar = alwaysOpenCalendar();
    fc.assert(
      fc.property(startArb, minutesArb, fc.boolean(), (start, minutes, backwards) => {
        const signed = backwards ? -minutes : minutes;
        const due = addBusinessTime(start, signed, calendar);
        expect(due.getTime()).toBe(start.getTime() + Math.round(signed * MINUTE));
        return near(businessTimeBetween(start, due, calendar), (due.getTime() - start.getTime()) / MINUTE);
      }),
      { numRuns: 500 },
    );
  });

  it('a 24/7 calendar in any zone is wall time, DST or not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        startArb,
        fc.integer({ min: -30 * DAY, max: 30 * DAY }),
        (zone, start, span) => {
          const end = new Date(start.getTime() + span);
          return businessTimeBetween(start, end, alwaysOpenCalendar(zone)) === span / MINUTE;
        },
      ),
      { numRuns: 300 },
    );
  });
});

/*
 * An independent oracle: count, minute by minute, the instants whose local wall-clock time (from Intl)
 * falls inside a period of their local weekday and not on a holiday. Periods and zone offsets are multiples
 * of 15 minutes, so on days without a DST transition the count is exact. (On transition days the library
 * deliberately maps skipped/repeated boundaries with Temporal 'compatible' semantics, which a wall-clock
 * oracle does not model; those windows are skipped.)
 */
describe('business time against a minute-by-minute oracle', () => {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const formatterOf = (zone: string) => {
    let formatter = formatters.get(zone);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
      });
      formatters.set(zone, formatter);
    }
    return formatter;
  };
  const wall = (zone: string, ms: number) => {
    const parts = Object.fromEntries(
      formatterOf(zone)
        .formatToParts(ms)
        .map((part) => [part.type, part.value]),
    );
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      weekday: parts.weekday.toLowerCase().slice(0, 3) as Weekday,
      minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
    };
  };
  const offsetMinutes = (zone: string, ms: number) => {
    const local = wall(zone, ms);
    const [y, mo, d] = local.date.split('-').map(Number);
    return (Date.UTC(y, mo - 1, d) + local.minuteOfDay * MINUTE - Math.floor(ms / MINUTE) * MINUTE) / MINUTE;
  };

  it('agrees on windows without DST transitions', () => {
    fc.assert(
      fc.property(calendarArb, startArb, (calendar, rawStart) => {
        const start = Math.floor(rawStart.getTime() / MINUTE) * MINUTE;
        const end = start + 2 * DAY;
        const zone = calendar.timeZone;
        fc.pre(offsetMinutes(zone, start - DAY) === offsetMinutes(zone, end + DAY));
        const holidays = new Set(calendar.holidays);
        let working = 0;
        for (let t = start; t < end; t += MINUTE) {
          const local = wall(zone, t);
          if (holidays.has(local.date)) continue;
          const inPeriod = calendar.week[local.weekday].some(
            ([open, close]) =>
              local.minuteOfDay >= (parseClock(open) as number) && local.minuteOfDay < (parseClock(close) as number),
          );
          if (inPeriod) working++;
        }
        return businessTimeBetween(new Date(start), new Date(end), calendar) === working;
      }),
      { numRuns: 40 },
    );
  });
});
