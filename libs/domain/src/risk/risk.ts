import { VISIT_STEPS, type ExpectedStepMinutes, type StepBreakdown } from '../steps/step-plan';
import { addBusinessTime, businessTimeBetween } from '../time/business-time';
import type { BusinessCalendar, Pause } from '../time/types';

/** What is left to do in a case: the last milestone reached (`'opened'` before any) and the expected minutes. */
export interface RemainingWork {
  stage: string;
  minutes: number;
}

/**
 * What is left to do, for the at-risk rule: the steps after the last milestone reached, each at its
 * expected length — `expected` (e.g. the median of the tenant's past cases of the category) when known,
 * else the current promise's `planned` breakdown.
 *
 * The breakdown is the plan the promise was built from (its steps add up to the window), so a step taken
 * from it counts as late only once its planned end has passed: the step now under way adds 0 minutes
 * when it comes from the plan, and only the following steps add their planned minutes.
 *
 * @param reached milestone kinds reached so far (any order, duplicates and unknown kinds are fine).
 * @returns null for a fixed case (it waits only for the customer), when every step is done, when a step
 *   left has neither an expected nor a planned length (no basis for a warning), or when nothing is left.
 */
export function remainingWork(
  reached: Iterable<string>,
  expected: ExpectedStepMinutes,
  planned: Partial<StepBreakdown> | null,
  status: string,
): RemainingWork | null {
  if (status === 'fixed') return null;
  const done = new Set(reached);
  let last = -1;
  VISIT_STEPS.forEach((s, i) => {
    if (done.has(s.milestone)) last = i;
  });
  const left = VISIT_STEPS.slice(last + 1);
  if (left.length === 0) return null;
  let minutes = 0;
  for (const [i, s] of left.entries()) {
    const known = expected[s.step];
    const plan = planned?.[s.breakdownKey];
    if (known !== undefined) minutes += known;
    else if (typeof plan === 'number') minutes += i === 0 ? 0 : plan;
    else return null;
  }
  if (minutes <= 0) return null;
  return { stage: last >= 0 ? VISIT_STEPS[last].milestone : 'opened', minutes };
}

/**
 * The minute of a window (minutes of clock time after its start) at which the at-risk alert falls due:
 * the moment the time left equals the remaining work, `windowMinutes − remaining.minutes`, never before
 * the window starts (0 when the work no longer fitted from the start).
 */
export function atRiskMinute(windowMinutes: number, remaining: RemainingWork): number {
  return Math.max(0, windowMinutes - remaining.minutes);
}

export type RiskReason =
  | 'promise_overdue'
  | 'need_overdue'
  | 'promise_after_need'
  | 'promise_at_risk'
  | 'need_at_risk'
  | 'no_promise';

export interface CaseRiskInput {
  status: string;
  promisedAt: Date | null;
  requiredAt: Date | null;
  /** Now, or the start of an open pause (a paused case's clock stands still). */
  from: Date;
  /** Business minutes from `from` to the promise on the case's clock, or null without a promise. */
  businessMinutesToPromise: number | null;
  /** Business minutes from `from` to the need on the case's clock, or null without a need. */
  businessMinutesToNeed: number | null;
  /** From {@link remainingWork}; null when unknown (then only overdue and timing reasons apply). */
  remaining: RemainingWork | null;
}

const CLOSED = new Set(['satisfied', 'cancelled']);

/**
 * Whether an open case is at risk, and why — the board's flag and the at-risk alert share this rule:
 *
 * - `promise_overdue` / `need_overdue`: the time has passed (`at ≤ from` and no business time is left);
 * - `promise_after_need`: the promise lies after the customer's need;
 * - `promise_at_risk` / `need_at_risk`: time is left, but no more than the remaining work's expected
 *   minutes — exactly when the at-risk alert falls due ({@link atRiskMinute}). A fixed case waits only
 *   for the customer, so it is never at risk this way;
 * - `no_promise`: the case has no promise yet.
 *
 * A closed case (satisfied, cancelled) is never at risk.
 *
 * @returns `atRisk` is true when there is at least one reason; reasons come in the order listed above.
 */
export function assessRisk(input: CaseRiskInput): { atRisk: boolean; reasons: RiskReason[] } {
  if (CLOSED.has(input.status)) return { atRisk: false, reasons: [] };
  const reasons: RiskReason[] = [];
  const from = input.from.getTime();
  const toPromise = input.businessMinutesToPromise;
  const toNeed = input.businessMinutesToNeed;
  const promisedAt = input.promisedAt;
  const requiredAt = input.requiredAt;
  if (promisedAt && toPromise !== null && toPromise <= 0 && promisedAt.getTime() <= from) reasons.push('promise_overdue');
  if (requiredAt && toNeed !== null && toNeed <= 0 && requiredAt.getTime() <= from) reasons.push('need_overdue');
  if (promisedAt && requiredAt && promisedAt.getTime() > requiredAt.getTime()) reasons.push('promise_after_need');
  const work = input.status === 'fixed' ? null : input.remaining;
  if (work && work.minutes > 0) {
    if (promisedAt && toPromise !== null && toPromise > 0 && toPromise <= work.minutes) reasons.push('promise_at_risk');
    if (requiredAt && toNeed !== null && toNeed > 0 && toNeed <= work.minutes) reasons.push('need_at_risk');
  }
  if (!promisedAt) reasons.push('no_promise');
  return { atRisk: reasons.length > 0, reasons };
}

export interface AtRiskSinceInput {
  status: string;
  openedAt: Date;
  promisedAt: Date | null;
  /** When the current promise was made (its window's start; the opening for the first promise). */
  promiseMadeAt: Date;
  requiredAt: Date | null;
  /** From {@link remainingWork}. */
  remaining: RemainingWork | null;
  /** The case's business calendar (the same clock {@link assessRisk}'s business minutes are measured on). */
  calendar: BusinessCalendar;
  /** Closed pauses only: an open pause freezes the clock, and the board compares at its start. */
  pauses: Pause[];
}

/**
 * The earliest instant from which {@link assessRisk} flags an open case at risk for a reason other than
 * an overdue one (`promise_after_need`, `no_promise`, `promise_at_risk`, `need_at_risk`), or null when it
 * never does while the case's data stay as they are. Risk as data: the alert planner stores it on the
 * case (`cases.at_risk_at`), so the board's class at `from` (now, or the start of an open pause) is
 * `at_risk_at <= from` — the same answer as assessRisk with `from` and these inputs.
 *
 * For a deadline with remaining work, it is the at-risk alert's instant ({@link atRiskMinute} into the
 * window): the moment the business time left equals the remaining minutes, never before the window starts.
 */
export function atRiskSince(input: AtRiskSinceInput): Date | null {
  if (CLOSED.has(input.status)) return null;
  const { promisedAt, requiredAt } = input;
  if (!promisedAt) return input.openedAt;
  if (requiredAt && promisedAt.getTime() > requiredAt.getTime()) return input.openedAt;
  const work = input.status === 'fixed' ? null : input.remaining;
  if (!work || work.minutes <= 0) return null;
  const windows: [Date, Date][] = [[input.promiseMadeAt, promisedAt]];
  if (requiredAt) windows.push([input.openedAt, requiredAt]);
  let earliest: Date | null = null;
  for (const [start, end] of windows) {
    const minute = atRiskMinute(businessTimeBetween(start, end, input.calendar, input.pauses), work);
    const at = minute <= 0 ? start : addBusinessTime(start, minute, input.calendar, input.pauses);
    if (!earliest || at.getTime() < earliest.getTime()) earliest = at;
  }
  return earliest;
}
