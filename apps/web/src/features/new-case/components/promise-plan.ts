import type { CalendarResponse, ContractResponse, PromiseBreakdown, PromiseStepFigure } from '@kept/contracts';
import {
  alwaysOpenCalendar,
  breakdownKeyOf,
  STEP_BREAKDOWN_KEYS,
  stepEnds,
  type BusinessCalendar,
  type StepBreakdown,
  type StepBreakdownKey,
} from '@kept/domain';

/** The form's step keys in visit order: the breakdown keys of the domain's `VISIT_STEPS`. */
export const STEPS = STEP_BREAKDOWN_KEYS;
export type StepKey = StepBreakdownKey;
export type Breakdown = StepBreakdown;

export const STEP_LABEL: Record<StepKey, string> = {
  arrivalMinutes: 'Arrival',
  diagnosisMinutes: 'Diagnosis',
  fixMinutes: 'Fix',
  testMinutes: 'Test',
};

/** With no contract, a plain worst case: 2 h to arrive, 30 min to diagnose, 1 h to fix, 30 min to test. */
export const DEFAULT_BREAKDOWN: Breakdown = { arrivalMinutes: 120, diagnosisMinutes: 30, fixMinutes: 60, testMinutes: 30 };

/** Splits the contract's organizational promise into the four steps (half of it to arrive), arrival at least the ETA. */
export function breakdownFromContract(contract: ContractResponse | null, etaMinutes: number | null): Breakdown {
  if (!contract) {
    return etaMinutes !== null ? { ...DEFAULT_BREAKDOWN, arrivalMinutes: Math.max(etaMinutes, 15) } : DEFAULT_BREAKDOWN;
  }
  const total = contract.promiseMinutes;
  const arrival = Math.round(total * 0.5);
  const diagnosis = Math.round(total * 0.15);
  const test = Math.round(total * 0.1);
  const fix = total - arrival - diagnosis - test;
  const base = { arrivalMinutes: arrival, diagnosisMinutes: diagnosis, fixMinutes: fix, testMinutes: test };
  return etaMinutes !== null && etaMinutes > arrival ? { ...base, arrivalMinutes: etaMinutes } : base;
}

/** The recommender's breakdown as the form's; arrival at least the engineer's ETA. */
export function breakdownFromRecommendation(figures: PromiseStepFigure[], etaMinutes: number | null): Breakdown {
  const b: Breakdown = { arrivalMinutes: 0, diagnosisMinutes: 0, fixMinutes: 0, testMinutes: 0 };
  for (const f of figures) b[breakdownKeyOf(f.step)] = Math.round(f.minutes);
  if (etaMinutes !== null && etaMinutes > b.arrivalMinutes) b.arrivalMinutes = etaMinutes;
  return b;
}

/** Below this many similar cases a keep-probability is a rough guide, and the call says so. */
export const FEW_CASES = 20;

/** How much history a probability rests on: "from 124 similar cases", with a caveat below {@link FEW_CASES}. */
export function evidenceText(n: number, extrapolated = false): { basis: string; caveat: string | null } {
  const basis = `from ${n} similar ${n === 1 ? 'case' : 'cases'}`;
  if (n < FEW_CASES) return { basis, caveat: `Only ${n} similar ${n === 1 ? 'case' : 'cases'}: treat the probability as a rough guide.` };
  if (extrapolated) return { basis, caveat: 'Few data for this promise: treat the probability as a rough guide.' };
  return { basis, caveat: null };
}

/**
 * How the arrival step relates to the engineer's ETA, so the call can say why they differ: the
 * recommender's worst-case arrival from history is longer than the ETA ("history"), the ETA is longer and
 * set the step ("eta"), or they agree / there is no ETA (null).
 */
export function arrivalVersusEta(historyMinutes: number | null, etaMinutes: number | null): 'history' | 'eta' | null {
  if (etaMinutes === null || historyMinutes === null) return null;
  if (Math.round(historyMinutes) > etaMinutes) return 'history';
  if (etaMinutes > Math.round(historyMinutes)) return 'eta';
  return null;
}

export function sameBreakdown(a: Breakdown, b: Breakdown): boolean {
  return STEPS.every((k) => a[k] === b[k]);
}

export function totalMinutes(b: Breakdown): number {
  return STEPS.reduce((sum, key) => sum + b[key], 0);
}

/**
 * When each step ends, counted from `start` on the given business calendar, or on the wall clock without
 * one (24/7 UTC counts wall time exactly): the domain's `stepEnds`.
 */
export function planTimes(
  start: Date,
  breakdown: Breakdown,
  calendar: CalendarResponse | null,
): { key: StepKey; endsAt: Date }[] {
  const clock = calendar ? (calendar.definition as BusinessCalendar) : alwaysOpenCalendar('UTC');
  return stepEnds(start, breakdown, clock).map((e) => ({ key: breakdownKeyOf(e.step), endsAt: e.endsAt }));
}

export function toPromiseBreakdown(b: Breakdown): PromiseBreakdown {
  return { ...b };
}
