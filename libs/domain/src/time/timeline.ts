import type { CompiledCalendar } from './calendar';
import type { PauseSet } from './pauses';
import { MS_PER_DAY, SEARCH_LIMIT_DAYS } from './units';

/**
 * Receives one effective working segment `[start, end)` (working time minus pauses).
 * Return `true` to stop the scan.
 */
export type SegmentVisitor = (start: number, end: number) => boolean;

function searchLimitExceeded(direction: 'ahead' | 'back'): RangeError {
  return new RangeError(`no business time found within ${SEARCH_LIMIT_DAYS} days (~100 years) ${direction}`);
}

/**
 * Visits, in ascending order, the effective working segments inside `[from, until)`.
 * Time from the start of an open-ended pause on is never visited; days covered by a pause are skipped
 * without being computed.
 *
 * Cost: one cached day lookup per local day spanned plus the segments visited.
 *
 * @returns `true` if the visitor stopped the scan, `false` if the range was exhausted.
 * @throws RangeError after walking ~100 years of days.
 */
export function scanForward(
  calendar: CompiledCalendar,
  pauses: PauseSet,
  from: number,
  until: number,
  visit: SegmentVisitor,
): boolean {
  const limit = Math.min(until, pauses.openFrom);
  if (!(limit > from)) return false;
  const { starts, ends } = pauses;
  let p = 0;
  // The local date of an instant is its UTC date ±1 (zone offsets stay within ±24 h).
  const firstDay = Math.floor(from / MS_PER_DAY) - 1;
  const lastDay = firstDay + SEARCH_LIMIT_DAYS + 4;
  let position = from; // everything before `position` has been scanned
  for (let day = firstDay; ; day++) {
    while (p < ends.length && ends[p] <= position) p++;
    if (p < starts.length && starts[p] <= position) {
      // Inside a pause: jump to its end.
      position = ends[p];
      if (position >= limit) return false;
      day = Math.max(day, Math.floor(position / MS_PER_DAY) - 1);
    }
    if (day > lastDay) throw searchLimitExceeded('ahead');
    const workDay = calendar.workDay(day);
    if (workDay.start >= limit) return false;
    if (workDay.end <= position) continue;
    const intervals = workDay.intervals;
    for (let i = 0; i < intervals.length; i += 2) {
      let cursor = intervals[i] < position ? position : intervals[i];
      const end = intervals[i + 1] > limit ? limit : intervals[i + 1];
      while (cursor < end) {
        while (p < ends.length && ends[p] <= cursor) p++;
        if (p < starts.length && starts[p] < end) {
          if (starts[p] > cursor && visit(cursor, starts[p])) return true;
          cursor = ends[p];
        } else {
          if (visit(cursor, end)) return true;
          cursor = end;
        }
      }
    }
    position = workDay.end;
  }
}

/**
 * Visits, in descending order, the effective working segments inside `[until, from)`
 * (`until` ≤ `from`; `until` may be `-Infinity`). Days covered by a pause are skipped.
 *
 * @returns `true` if the visitor stopped the scan, `false` if the range was exhausted.
 * @throws RangeError after walking ~100 years of days.
 */
export function scanBackward(
  calendar: CompiledCalendar,
  pauses: PauseSet,
  from: number,
  until: number,
  visit: SegmentVisitor,
): boolean {
  const upper = Math.min(from, pauses.openFrom);
  if (!(upper > until)) return false;
  const { starts, ends } = pauses;
  let p = starts.length - 1;
  const firstDay = Math.floor(upper / MS_PER_DAY) + 1;
  const lastDay = firstDay - SEARCH_LIMIT_DAYS - 4;
  let position = upper; // everything after `position` has been scanned
  for (let day = firstDay; ; day--) {
    while (p >= 0 && starts[p] >= position) p--;
    if (p >= 0 && ends[p] >= position) {
      // Just inside the end of a pause: jump to its start.
      position = starts[p];
      if (position <= until) return false;
      day = Math.min(day, Math.floor(position / MS_PER_DAY) + 1);
    }
    if (day < lastDay) throw searchLimitExceeded('back');
    const workDay = calendar.workDay(day);
    if (workDay.end <= until) return false;
    if (workDay.start >= position) continue;
    const intervals = workDay.intervals;
    for (let i = intervals.length - 2; i >= 0; i -= 2) {
      const start = intervals[i] < until ? until : intervals[i];
      let cursor = intervals[i + 1] > position ? position : intervals[i + 1];
      while (cursor > start) {
        while (p >= 0 && starts[p] >= cursor) p--;
        if (p >= 0 && ends[p] > start) {
          if (ends[p] < cursor && visit(ends[p], cursor)) return true;
          cursor = starts[p];
        } else {
          if (visit(start, cursor)) return true;
          cursor = start;
        }
      }
    }
    position = workDay.start;
  }
}
