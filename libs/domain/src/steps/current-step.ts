import { VISIT_STEPS, type VisitStep } from './step-plan';

/**
 * The step a visit is at: the first of {@link VISIT_STEPS} whose closing milestone has not been recorded
 * (a later milestone recorded out of order does not skip an earlier step). Null once every step's
 * milestone is in, i.e. the first test passed.
 */
export function currentStep(reached: Iterable<string>): VisitStep | null {
  const done = new Set(reached);
  return VISIT_STEPS.find((s) => !done.has(s.milestone))?.step ?? null;
}
