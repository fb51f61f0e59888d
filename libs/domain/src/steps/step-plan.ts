import { addBusinessTime, businessTimeBetween } from '../time/business-time';
import { alwaysOpenCalendar } from '../time/calendar';
import type { BusinessCalendar, Pause } from '../time/types';
import { MS_PER_MINUTE } from '../time/units';

/**
 * The steps of a visit, in order: the milestone that ends each step, and the step's key in a promise
 * breakdown. The one list of steps in Kept: the contracts, the alert planner, the forecast's step
 * shares, the four-step call and My work all derive theirs from it.
 */
export const VISIT_STEPS = [
  { step: 'arrival', milestone: 'arrived', breakdownKey: 'arrivalMinutes' },
  { step: 'diagnosis', milestone: 'diagnosed', breakdownKey: 'diagnosisMinutes' },
  { step: 'fix', milestone: 'fixed', breakdownKey: 'fixMinutes' },
  { step: 'test', milestone: 'test_passed', breakdownKey: 'testMinutes' },
] as const;

export type VisitStep = (typeof VISIT_STEPS)[number]['step'];
export type StepMilestone = (typeof VISIT_STEPS)[number]['milestone'];
export type StepBreakdownKey = (typeof VISIT_STEPS)[number]['breakdownKey'];
/** Planned minutes per step, as a promise's breakdown stores them. */
export type StepBreakdown = Record<StepBreakdownKey, number>;
/** Expected minutes per step (e.g. medians of the tenant's history); a step without history is absent. */
export type ExpectedStepMinutes = Partial<Record<VisitStep, number>>;

/** The step names in order (`['arrival', 'diagnosis', 'fix', 'test']`). */
export const VISIT_STEP_NAMES = VISIT_STEPS.map((s) => s.step) as unknown as readonly [
  'arrival',
  'diagnosis',
  'fix',
  'test',
];
/** The breakdown keys in order (`['arrivalMinutes', …, 'testMinutes']`). */
export const STEP_BREAKDOWN_KEYS = VISIT_STEPS.map((s) => s.breakdownKey) as unknown as readonly [
  'arrivalMinutes',
  'diagnosisMinutes',
  'fixMinutes',
  'testMinutes',
];

/** The breakdown key of a step (`'fix'` → `'fixMinutes'`). */
export function breakdownKeyOf(step: VisitStep): StepBreakdownKey {
  return VISIT_STEPS.find((s) => s.step === step)!.breakdownKey;
}

/** Minutes of each step in `breakdown`, in step order; a missing or non-finite entry counts as 0. */
function minutesOf(breakdown: Partial<StepBreakdown>): number[] {
  return VISIT_STEPS.map((s) => {
    const m = breakdown[s.breakdownKey];
    return typeof m === 'number' && Number.isFinite(m) ? m : 0;
  });
}

/**
 * Forward: when each step ends if the visit starts at `start` and each step takes its breakdown minutes,
 * counted on `calendar` (business time: closed hours, holidays and `pauses` do not count; pass
 * {@link alwaysOpenCalendar} for wall time). Step k ends `m₁ + … + m_k` business minutes after `start`,
 * as {@link addBusinessTime} counts them (a step of 0 minutes ends with the previous one; a first step
 * of 0 minutes ends at the first working instant). Missing breakdown keys count as 0 minutes.
 *
 * @returns one entry per step, in step order.
 * @throws RangeError as {@link addBusinessTime} does (invalid calendar, date or pause).
 */
export function stepEnds(
  start: Date,
  breakdown: Partial<StepBreakdown>,
  calendar: BusinessCalendar,
  pauses?: readonly Pause[],
): { step: VisitStep; milestone: StepMilestone; endsAt: Date }[] {
  const minutes = minutesOf(breakdown);
  const paused = pauses ? [...pauses] : undefined;
  let elapsed = 0;
  return VISIT_STEPS.map((s, k) => {
    elapsed += minutes[k];
    return { step: s.step, milestone: s.milestone, endsAt: addBusinessTime(start, elapsed, calendar, paused) };
  });
}

/**
 * Backward: the latest instant by which each step must end for the promise to hold, counted back from
 * `promisedAt` on `calendar` with the breakdown's minutes (closed hours, holidays and `pauses` do not
 * count). The test step ends by `promisedAt` itself; step k must end `m_{k+1} + … + m_4` business minutes
 * before it (the latest `t` with `businessTimeBetween(t, promisedAt) === that sum`, so a deadline landing
 * on an opening is that opening, never the previous evening's close). Missing keys count as 0 minutes.
 *
 * @returns one entry per step, in step order.
 * @throws RangeError as {@link addBusinessTime} does, or when the calendar has no business time before.
 */
export function stepDeadlines(
  promisedAt: Date,
  breakdown: Partial<StepBreakdown>,
  calendar: BusinessCalendar,
  pauses?: readonly Pause[],
): { step: VisitStep; milestone: StepMilestone; by: Date }[] {
  const minutes = minutesOf(breakdown);
  const paused = pauses ? [...pauses] : undefined;
  const after = minutes.map((_, k) => minutes.slice(k + 1).reduce((a, b) => a + b, 0));
  return VISIT_STEPS.map((s, k) => {
    // 0 minutes back is the promise itself (addBusinessTime(…, 0) would move it to the next opening).
    const by =
      Math.round(after[k] * MS_PER_MINUTE) === 0
        ? new Date(promisedAt.getTime())
        : addBusinessTime(promisedAt, -after[k], calendar, paused);
    return { step: s.step, milestone: s.milestone, by };
  });
}

/**
 * The minutes each step of one case took, from its milestones: step k runs from the end of step k−1
 * (the opening for the first) to the first occurrence of its milestone. Measured on `calendar`
 * (business minutes, fractional) or, without one, in wall minutes.
 *
 * @returns the four durations in step order, or null unless all four milestones are present and their
 *   first occurrences are in order (each at or after the previous, the first at or after `openedAt`).
 */
export function stepDurations(
  openedAt: Date,
  milestones: readonly { kind: string; at: Date }[],
  calendar?: BusinessCalendar,
): number[] | null {
  const first = new Map<string, number>();
  for (const m of milestones) {
    const t = m.at.getTime();
    const seen = first.get(m.kind);
    if (seen === undefined || t < seen) first.set(m.kind, t);
  }
  const ends = VISIT_STEPS.map((s) => first.get(s.milestone));
  if (ends.some((t) => t === undefined)) return null;
  const bounds = [openedAt.getTime(), ...(ends as number[])];
  for (let k = 1; k < bounds.length; k++) if (bounds[k] < bounds[k - 1]) return null;
  const clock = calendar ?? alwaysOpenCalendar('UTC');
  return VISIT_STEPS.map((_, k) => businessTimeBetween(new Date(bounds[k]), new Date(bounds[k + 1]), clock));
}

/**
 * Splits a total into the four steps by their shares (e.g. the medians of past step lengths): shares are
 * normalised by their sum, and each step gets whole minutes such that the steps add up to exactly
 * `Math.round(totalMinutes)` (each step boundary is the rounded cumulative share, so no step is off by
 * more than one minute from its exact share).
 *
 * @throws RangeError unless there are four finite, non-negative shares with a positive sum and a finite,
 *   non-negative total.
 */
export function splitByShares(totalMinutes: number, shares: readonly number[]): StepBreakdown {
  if (shares.length !== VISIT_STEPS.length) throw new RangeError(`expected ${VISIT_STEPS.length} shares, got ${shares.length}`);
  if (shares.some((s) => !Number.isFinite(s) || s < 0)) throw new RangeError('shares must be finite and non-negative');
  const sum = shares.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new RangeError('shares must have a positive sum');
  if (!Number.isFinite(totalMinutes) || totalMinutes < 0) throw new RangeError('totalMinutes must be finite and non-negative');
  const total = Math.round(totalMinutes);
  const result = {} as StepBreakdown;
  let cumulative = 0;
  let previousEnd = 0;
  VISIT_STEPS.forEach((s, k) => {
    cumulative += shares[k];
    const end = k === VISIT_STEPS.length - 1 ? total : Math.round((total * cumulative) / sum);
    result[s.breakdownKey] = end - previousEnd;
    previousEnd = end;
  });
  return result;
}
