import { currentStep } from './current-step';

describe('currentStep', () => {
  it.each([
    [[], 'arrival'],
    [['dispatched', 'engineer_eta'], 'arrival'],
    [['arrived'], 'diagnosis'],
    [['arrived', 'diagnosed'], 'fix'],
    [['arrived', 'diagnosed', 'fixed'], 'test'],
    // out of order: the fix was recorded, the diagnosis was not; the visit is still at the diagnosis
    [['arrived', 'fixed'], 'diagnosis'],
    [['arrived', 'diagnosed', 'fixed', 'test_passed'], null],
  ])('%j → %s', (reached, step) => {
    expect(currentStep(reached)).toBe(step);
  });
});
