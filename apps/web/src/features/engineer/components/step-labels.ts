import type { StepMilestone } from '@kept/domain';

/** What the engineer's buttons and steps are called. */
export const STEP_LABEL: Record<StepMilestone, string> = {
  arrived: 'Arrived on site',
  diagnosed: 'Problem diagnosed',
  fixed: 'Fix done',
  test_passed: 'First test passed',
};
