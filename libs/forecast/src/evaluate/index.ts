import { CaseTable } from './case-table';
import { summarize } from './figures';
import { replay } from './replay';
import type { EvaluateOptions, EvaluationResult } from './types';

export { CaseTable } from './case-table';
export { replay, type Replay } from './replay';
export { summarize } from './figures';
export type { CalibrationRow, EvaluateOptions, EvaluationResult, GroupFigures } from './types';

/**
 * Evaluates the recommender on history, as `kept evaluate` does: {@link replay} replays the cases in
 * time order (recommending each case's promise from what was known when it was created, and scoring it
 * by its real outcome); {@link summarize} turns the outcomes into the figures.
 */
export function evaluate(table: CaseTable, options: EvaluateOptions = {}): EvaluationResult {
  return summarize(table, replay(table, options));
}
