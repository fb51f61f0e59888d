import { businessTimeBetween } from '../time/business-time';
import { compileCalendar } from '../time/calendar';
import { epochMsOf } from '../time/instant';
import type { BusinessCalendar, Pause } from '../time/types';
import { MS_PER_MINUTE } from '../time/units';
import { verdict, type Verdict } from './verdict';

/** A signed difference between two of the four times, in wall-clock and in business minutes. */
export interface Gap {
  wallMinutes: number;
  businessMinutes: number;
}

/** The four times of a case, plus when it was opened (`openedAt` does not enter the gaps). */
export interface FourTimes {
  openedAt: Date;
  requiredAt: Date | null;
  expectedAt: Date | null;
  promisedAt: Date | null;
  satisfiedAt: Date | null;
}

/** The gaps between the four times and the verdicts on the promise and on the need. */
export interface CaseGaps {
  promisedMinusRequired: Gap | null;
  promisedMinusExpected: Gap | null;
  satisfiedMinusPromised: Gap | null;
  satisfiedMinusRequired: Gap | null;
  promise: Verdict | null;
  need: Verdict | null;
}

/**
 * The gap `later − earlier` as named (`gap(promisedAt, requiredAt)` = promised − required):
 * positive when `later` is after `earlier`; `null` when either time is missing.
 */
export function gapBetween(
  later: Date | null,
  earlier: Date | null,
  calendar: BusinessCalendar,
  pauses?: Pause[],
): Gap | null {
  if (later === null || later === undefined || earlier === null || earlier === undefined) return null;
  const wall = (later.getTime() - earlier.getTime()) / MS_PER_MINUTE;
  return {
    wallMinutes: wall === 0 ? 0 : wall,
    businessMinutes: businessTimeBetween(earlier, later, calendar, pauses),
  };
}

/**
 * Computes the four-times gaps of a case and its verdicts.
 *
 * Each gap X−Y is `{ wallMinutes: (X − Y) / 1 min, businessMinutes: businessTimeBetween(Y, X) }`, signed,
 * and `null` when X or Y is missing. `promise` judges `promisedAt` and `need` judges `requiredAt`
 * against `satisfiedAt` and `now` (see {@link verdict}).
 *
 * @throws RangeError for an invalid calendar, dates or pauses.
 */
export function computeGaps(times: FourTimes, now: Date, calendar: BusinessCalendar, pauses?: Pause[]): CaseGaps {
  epochMsOf(now, 'now');
  compileCalendar(calendar); // validates even when every gap is null
  const { requiredAt, expectedAt, promisedAt, satisfiedAt } = times;
  return {
    promisedMinusRequired: gapBetween(promisedAt, requiredAt, calendar, pauses),
    promisedMinusExpected: gapBetween(promisedAt, expectedAt, calendar, pauses),
    satisfiedMinusPromised: gapBetween(satisfiedAt, promisedAt, calendar, pauses),
    satisfiedMinusRequired: gapBetween(satisfiedAt, requiredAt, calendar, pauses),
    promise: verdict(promisedAt, satisfiedAt, now),
    need: verdict(requiredAt, satisfiedAt, now),
  };
}
