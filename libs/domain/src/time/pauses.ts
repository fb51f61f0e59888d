import { epochMsOf } from './instant';
import type { Pause } from './types';

/**
 * Pauses normalised for scanning: finite spans `[starts[i], ends[i])` sorted, merged and disjoint,
 * plus the start of the open-ended pause (after which the clock never runs again), or `+Infinity`.
 */
export interface PauseSet {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly openFrom: number;
}

/** The empty pause set. */
export const NO_PAUSES: PauseSet = { starts: [], ends: [], openFrom: Number.POSITIVE_INFINITY };

/**
 * Validates and normalises pauses: `to: null` is open-ended; empty or reversed spans are ignored;
 * overlapping or touching pauses are merged.
 *
 * @throws RangeError when a pause holds an invalid date.
 */
export function normalizePauses(pauses: readonly Pause[] | undefined | null): PauseSet {
  if (pauses === undefined || pauses === null || pauses.length === 0) return NO_PAUSES;
  if (!Array.isArray(pauses)) throw new RangeError('pauses must be an array');
  const spans: [number, number][] = [];
  pauses.forEach((pause, index) => {
    if (pause === null || typeof pause !== 'object') throw new RangeError(`pauses[${index}] must be an object`);
    const from = epochMsOf(pause.from, `pauses[${index}].from`);
    const to =
      pause.to === null || pause.to === undefined
        ? Number.POSITIVE_INFINITY
        : epochMsOf(pause.to, `pauses[${index}].to`);
    if (to > from) spans.push([from, to]);
  });
  if (spans.length === 0) return NO_PAUSES;
  spans.sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [from, to] of spans) {
    const last = ends.length - 1;
    if (last >= 0 && from <= ends[last]) ends[last] = Math.max(ends[last], to);
    else {
      starts.push(from);
      ends.push(to);
    }
  }
  let openFrom = Number.POSITIVE_INFINITY;
  if (ends[ends.length - 1] === Number.POSITIVE_INFINITY) {
    openFrom = starts.pop() as number;
    ends.pop();
  }
  return { starts, ends, openFrom };
}
