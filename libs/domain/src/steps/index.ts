export type { ExpectedStepMinutes, StepBreakdown, StepBreakdownKey, StepMilestone, VisitStep } from './step-plan';
export {
  breakdownKeyOf,
  splitByShares,
  STEP_BREAKDOWN_KEYS,
  stepDeadlines,
  stepDurations,
  stepEnds,
  VISIT_STEP_NAMES,
  VISIT_STEPS,
} from './step-plan';
export { currentStep } from './current-step';
export { etaOf, firstNameOf } from './on-the-way';
