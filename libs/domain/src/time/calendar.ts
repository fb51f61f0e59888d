import { parseClock, parseLocalDate, weekdayIndex } from './local-date';
import { LruCache } from './lru-cache';
import { WEEKDAYS, type BusinessCalendar, type Weekday } from './types';
import { MS_PER_DAY, MS_PER_MINUTE } from './units';
import { isValidTimeZone, localToInstant } from './zone';

/**
 * A 24/7 calendar: `[["00:00", "24:00"]]` every day, no holidays.
 * Business time then equals wall time (except that a local day on a DST change is 23 or 25 hours long,
 * which makes no difference for a day that is open around the clock).
 *
 * @param timeZone IANA zone of the calendar, `"UTC"` by default.
 */
export function alwaysOpenCalendar(timeZone = 'UTC'): BusinessCalendar {
  const allDay = (): [string, string][] => [['00:00', '24:00']];
  return {
    timeZone,
    week: { mon: allDay(), tue: allDay(), wed: allDay(), thu: allDay(), fri: allDay(), sat: allDay(), sun: allDay() },
    holidays: [],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatMinutes(minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm}`;
}

/** Validates the periods of one weekday; returns the valid working minutes found. */
function validateDay(day: Weekday, periods: unknown, problems: string[]): number {
  if (periods === undefined || periods === null) return 0; // a missing weekday is closed
  if (!Array.isArray(periods)) {
    problems.push(`week.${day} must be an array of ["HH:mm", "HH:mm"] periods`);
    return 0;
  }
  let working = 0;
  let previousClose = -1;
  periods.forEach((period: unknown, index) => {
    const where = `week.${day}[${index}]`;
    if (!Array.isArray(period) || period.length !== 2) {
      problems.push(`${where} must be a pair ["HH:mm", "HH:mm"]`);
      return;
    }
    const open = parseClock(period[0]);
    const close = parseClock(period[1]);
    if (open === null) problems.push(`${where}: open ${JSON.stringify(period[0])} is not a valid HH:mm time`);
    if (close === null) problems.push(`${where}: close ${JSON.stringify(period[1])} is not a valid HH:mm time`);
    if (open === null || close === null) return;
    if (close <= open) {
      problems.push(`${where}: close ${formatMinutes(close)} must be after open ${formatMinutes(open)}`);
      return;
    }
    if (open < previousClose) {
      problems.push(
        `${where}: period ${formatMinutes(open)}–${formatMinutes(close)} overlaps or precedes the previous period ` +
          `(which closes at ${formatMinutes(previousClose)}); periods must be sorted and must not overlap`,
      );
    }
    previousClose = Math.max(previousClose, close);
    working += close - open;
  });
  return working;
}

/**
 * Checks a calendar and describes every problem in plain language.
 *
 * Reported: unknown time zone, malformed `"HH:mm"` times, periods whose close is not after their open,
 * unsorted or overlapping periods, unknown weekday keys, malformed or impossible holiday dates, and a week
 * without any working time. A missing weekday key counts as a closed day.
 *
 * @returns `[]` when the calendar is valid, otherwise human-readable problems.
 */
export function validateCalendar(calendar: BusinessCalendar): string[] {
  if (!isRecord(calendar)) return ['calendar must be an object with timeZone, week and holidays'];
  const problems: string[] = [];
  const { timeZone, week, holidays } = calendar as unknown as Record<string, unknown>;

  if (!isValidTimeZone(timeZone)) {
    problems.push(`timeZone ${JSON.stringify(timeZone)} is not a valid IANA time zone`);
  }

  if (!isRecord(week)) {
    problems.push('week must be an object keyed by weekday (mon, tue, wed, thu, fri, sat, sun)');
  } else {
    for (const key of Object.keys(week)) {
      if (!(WEEKDAYS as readonly string[]).includes(key)) {
        problems.push(`week.${key} is not a weekday (expected one of ${WEEKDAYS.join(', ')})`);
      }
    }
    let working = 0;
    for (const day of WEEKDAYS) working += validateDay(day, week[day], problems);
    if (working === 0) problems.push('the week has no working time at all');
  }

  if (holidays !== undefined && holidays !== null) {
    if (!Array.isArray(holidays)) {
      problems.push('holidays must be an array of "YYYY-MM-DD" dates');
    } else {
      holidays.forEach((holiday: unknown, index) => {
        if (parseLocalDate(holiday) === null) {
          problems.push(`holidays[${index}]: ${JSON.stringify(holiday)} is not a valid YYYY-MM-DD date`);
        }
      });
    }
  }
  return problems;
}

/**
 * Working time of one local day as instants: the day's window `[start, end)` (local midnight to the next)
 * and its sorted, disjoint, non-touching working intervals as a flat list `[open0, close0, open1, …]`,
 * all within the window.
 */
export interface WorkDay {
  readonly start: number;
  readonly end: number;
  readonly intervals: readonly number[];
}

const NO_PERIODS: readonly number[] = [];

/** Sorts and merges flat `[start, end, …]` intervals; touching intervals are joined. */
function mergeIntervals(flat: number[]): number[] {
  if (flat.length <= 2) return flat;
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [pairs[0][0], pairs[0][1]];
  for (let i = 1; i < pairs.length; i++) {
    const [start, end] = pairs[i];
    const last = merged.length - 1;
    if (start <= merged[last]) merged[last] = Math.max(merged[last], end);
    else merged.push(start, end);
  }
  return merged;
}

/** A validated calendar prepared for fast evaluation, with a cache of its local days. */
export class CompiledCalendar {
  private readonly days = new LruCache<number, WorkDay>(2_048); // ~5.6 years per generation

  /**
   * @param timeZone IANA zone.
   * @param periods per ISO weekday index (0 = Monday) flat `[openMs, closeMs, …]` milliseconds after midnight.
   * @param holidays local day numbers without working time.
   */
  constructor(
    readonly timeZone: string,
    private readonly periods: readonly (readonly number[])[],
    private readonly holidays: ReadonlySet<number>,
  ) {}

  /** The working time of local day number `day` (days since 1970-01-01 in the calendar's zone). */
  workDay(day: number): WorkDay {
    let workDay = this.days.get(day);
    if (!workDay) {
      workDay = this.buildDay(day);
      this.days.set(day, workDay);
    }
    return workDay;
  }

  private buildDay(day: number): WorkDay {
    const zone = this.timeZone;
    const start = localToInstant(zone, day, 0);
    const end = localToInstant(zone, day + 1, 0);
    const periods = this.holidays.has(day) ? NO_PERIODS : this.periods[weekdayIndex(day)];
    const flat: number[] = [];
    for (let i = 0; i < periods.length; i += 2) {
      // Each boundary is converted on its own, so a 09:00–17:00 period stays 8 hours on a DST day.
      // Clamping to the day window keeps days disjoint even when a skipped wall time moves forward.
      const open = Math.min(Math.max(localToInstant(zone, day, periods[i]), start), end);
      const close = periods[i + 1] >= MS_PER_DAY ? end : Math.min(localToInstant(zone, day, periods[i + 1]), end);
      if (close > open) flat.push(open, close);
    }
    return { start, end, intervals: mergeIntervals(flat) };
  }
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const periods = WEEKDAYS.map((day) =>
    (calendar.week[day] ?? []).flatMap(([open, close]) => [
      (parseClock(open) as number) * MS_PER_MINUTE,
      (parseClock(close) as number) * MS_PER_MINUTE,
    ]),
  );
  const holidays = new Set((calendar.holidays ?? []).map((holiday) => parseLocalDate(holiday) as number));
  return new CompiledCalendar(calendar.timeZone, periods, holidays);
}

const compiledByContent = new LruCache<string, CompiledCalendar>(64);

interface IdentityEntry {
  readonly snapshot: BusinessCalendar;
  readonly weekKeys: number;
  readonly compiled: CompiledCalendar;
}

/** Fast path for callers reusing the same calendar object; the snapshot detects later mutation. */
const compiledByIdentity = new WeakMap<object, IdentityEntry>();

function snapshotOf(calendar: BusinessCalendar): BusinessCalendar {
  const week = {} as Record<Weekday, [string, string][]>;
  for (const day of WEEKDAYS) {
    const periods = calendar.week[day];
    if (periods) week[day] = periods.map(([open, close]): [string, string] => [open, close]);
  }
  return { timeZone: calendar.timeZone, week, holidays: [...(calendar.holidays ?? [])] };
}

function sameStrings(a: unknown, b: readonly string[]): boolean {
  if (!Array.isArray(a) || a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `calendar` still equals the validated snapshot (missing weekdays compare as closed). */
function matchesSnapshot(calendar: BusinessCalendar, { snapshot, weekKeys }: IdentityEntry): boolean {
  if (calendar.timeZone !== snapshot.timeZone || !isRecord(calendar.week)) return false;
  if (Object.keys(calendar.week).length !== weekKeys) return false;
  for (const day of WEEKDAYS) {
    const periods: unknown = calendar.week[day];
    const expected = snapshot.week[day] ?? [];
    if (periods === undefined || periods === null) {
      if (expected.length > 0) return false;
      continue;
    }
    if (!Array.isArray(periods) || periods.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (!sameStrings(periods[i], expected[i])) return false;
  }
  const holidays: unknown = calendar.holidays ?? [];
  return sameStrings(holidays, snapshot.holidays);
}

function cacheKey(calendar: BusinessCalendar): string | null {
  try {
    return JSON.stringify(calendar) ?? null;
  } catch {
    return null;
  }
}

/**
 * Validates and compiles a calendar. Memoised by object identity (verified against a snapshot, so a
 * mutated calendar is recompiled) and by JSON content (so callers may pass fresh equal objects).
 *
 * @throws RangeError listing the problems when the calendar is invalid.
 */
export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  const isObject = typeof calendar === 'object' && calendar !== null;
  if (isObject) {
    const entry = compiledByIdentity.get(calendar);
    if (entry && matchesSnapshot(calendar, entry)) return entry.compiled;
  }
  const key = cacheKey(calendar);
  let compiled = key === null ? undefined : compiledByContent.get(key);
  if (!compiled) {
    const problems = validateCalendar(calendar);
    if (problems.length > 0) throw new RangeError(`Invalid business calendar: ${problems.join('; ')}`);
    compiled = compile(calendar);
    if (key !== null) compiledByContent.set(key, compiled);
  }
  if (isObject) {
    compiledByIdentity.set(calendar, {
      snapshot: snapshotOf(calendar),
      weekKeys: Object.keys(calendar.week).length,
      compiled,
    });
  }
  return compiled;
}
