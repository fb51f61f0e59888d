import { epochMsOf } from '../time/instant';

/** Outcome of a deadline: kept, missed, or still open. */
export type Verdict = 'kept' | 'missed' | 'open';

/**
 * Judges a deadline (a promise or a need).
 *
 * - `null` when there is no deadline;
 * - `'kept'` when satisfied at or before the deadline;
 * - `'missed'` when satisfied after the deadline, or not satisfied and `now` is past the deadline;
 * - `'open'` otherwise (not satisfied, deadline not yet passed — `now === deadline` is still open).
 *
 * @throws RangeError for an invalid Date.
 */
export function verdict(deadline: Date | null, satisfiedAt: Date | null, now: Date): Verdict | null {
  if (deadline === null || deadline === undefined) return null;
  const due = epochMsOf(deadline, 'deadline');
  if (satisfiedAt !== null && satisfiedAt !== undefined) {
    return epochMsOf(satisfiedAt, 'satisfiedAt') <= due ? 'kept' : 'missed';
  }
  return epochMsOf(now, 'now') > due ? 'missed' : 'open';
}
