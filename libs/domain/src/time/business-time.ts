import { compileCalendar, type CompiledCalendar } from './calendar';
import { assertFiniteMinutes, epochMsOf } from './instant';
import { normalizePauses, type PauseSet } from './pauses';
import { scanBackward, scanForward } from './timeline';
import type { BusinessCalendar, Pause } from './types';
import { MAX_TIME_MS, MS_PER_MINUTE, SEARCH_LIMIT_MS } from './units';

/** Minutes to whole milliseconds (a `Date` has millisecond resolution). */
function minutesToMs(minutes: number): number {
  return Math.round(Math.abs(minutes) * MS_PER_MINUTE);
}

/** First unpaused working instant at or after `from`, or `MAX_TIME_MS` if an open-ended pause swallows the rest. */
function firstWorkingInstant(calendar: CompiledCalendar, pauses: PauseSet, from: number): number {
  let found = MAX_TIME_MS;
  scanForward(calendar, pauses, from, Number.POSITIVE_INFINITY, (start) => {
    found = start;
    return true;
  });
  return found;
}

/** Business milliseconds in `[from, to)` for `from <= to`. */
function measure(calendar: CompiledCalendar, pauses: PauseSet, from: number, to: number): number {
  const end = Math.min(to, pauses.openFrom);
  if (end - from > SEARCH_LIMIT_MS) {
    throw new RangeError('cannot measure business time over more than ~100 years');
  }
  let total = 0;
  scanForward(calendar, pauses, from, end, (start, stop) => {
    total += stop - start;
    return false;
  });
  return total;
}

/**
 * Adds business time to an instant: the clock only runs inside the calendar's periods, outside holidays
 * and outside pauses; a start outside working time counts from the next opening.
 *
 * - `minutes > 0`: the earliest instant `t ≥ start` with `businessTimeBetween(start, t) === minutes`
 *   (a due time landing exactly on a period's close is that close, not the next opening).
 * - `minutes === 0`: {@link nextWorkingInstant} of `start`.
 * - `minutes < 0`: backwards, the latest `t ≤ start` with `businessTimeBetween(t, start) === -minutes`
 *   (landing exactly on an opening is that opening).
 *
 * Minutes may be fractional; they are rounded to the millisecond (so |minutes| below 0.5 ms act as 0).
 * If an open-ended pause makes the target unreachable, returns the maximum Date `new Date(8.64e15)`.
 *
 * @throws RangeError for an invalid calendar, an invalid `start`, non-finite `minutes`, an invalid pause,
 *   or when no target is found within ~100 years.
 */
export function addBusinessTime(start: Date, minutes: number, calendar: BusinessCalendar, pauses?: Pause[]): Date {
  const from = epochMsOf(start, 'start');
  assertFiniteMinutes(minutes);
  const compiled = compileCalendar(calendar);
  const pauseSet = normalizePauses(pauses);
  let remaining = minutesToMs(minutes);
  if (remaining === 0) return new Date(firstWorkingInstant(compiled, pauseSet, from));

  let result = MAX_TIME_MS;
  if (minutes > 0) {
    scanForward(compiled, pauseSet, from, Number.POSITIVE_INFINITY, (segmentStart, segmentEnd) => {
      if (segmentEnd - segmentStart >= remaining) {
        result = segmentStart + remaining;
        return true;
      }
      remaining -= segmentEnd - segmentStart;
      return false;
    });
    return new Date(result);
  }

  const found = scanBackward(compiled, pauseSet, from, Number.NEGATIVE_INFINITY, (segmentStart, segmentEnd) => {
    if (segmentEnd - segmentStart >= remaining) {
      result = segmentEnd - remaining;
      return true;
    }
    remaining -= segmentEnd - segmentStart;
    return false;
  });
  if (!found) throw new RangeError('no business time found before start');
  return new Date(result);
}

/**
 * Business time between two instants, in minutes: the measure of working time ∩ `[from, to)` minus pauses,
 * exact to the millisecond (fractional, never rounded). Negative when `to < from`
 * (`businessTimeBetween(a, b) === -businessTimeBetween(b, a)`).
 *
 * @throws RangeError for an invalid calendar, invalid dates or pauses, or a span of more than ~100 years
 *   (time after the start of an open-ended pause does not count towards that span).
 */
export function businessTimeBetween(from: Date, to: Date, calendar: BusinessCalendar, pauses?: Pause[]): number {
  const a = epochMsOf(from, 'from');
  const b = epochMsOf(to, 'to');
  const compiled = compileCalendar(calendar);
  const pauseSet = normalizePauses(pauses);
  if (a === b) return 0;
  return a < b
    ? measure(compiled, pauseSet, a, b) / MS_PER_MINUTE
    : 0 - measure(compiled, pauseSet, b, a) / MS_PER_MINUTE;
}

/**
 * Whether the clock runs at `at`: inside a period `[open, close)` (an instant exactly at a close is outside),
 * not on a holiday and not inside a pause `[from, to)`.
 *
 * @throws RangeError for an invalid calendar, date or pause.
 */
export function isWorkingTime(at: Date, calendar: BusinessCalendar, pauses?: Pause[]): boolean {
  const instant = epochMsOf(at, 'at');
  const compiled = compileCalendar(calendar);
  const pauseSet = normalizePauses(pauses);
  return scanForward(compiled, pauseSet, instant, instant + 1, () => true);
}

/**
 * `at` itself when it is inside working time, otherwise the next instant the clock starts running
 * (the next opening, or the end of the pause covering `at`). Returns `new Date(8.64e15)` when an
 * open-ended pause stops the clock for good.
 *
 * @throws RangeError for an invalid calendar, date or pause, or when nothing opens within ~100 years.
 */
export function nextWorkingInstant(at: Date, calendar: BusinessCalendar, pauses?: Pause[]): Date {
  const instant = epochMsOf(at, 'at');
  const compiled = compileCalendar(calendar);
  return new Date(firstWorkingInstant(compiled, normalizePauses(pauses), instant));
}
