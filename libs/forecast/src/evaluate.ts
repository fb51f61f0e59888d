import { CaseTable } from './evaluation/case-table';
import { summarize } from './evaluation/figures';
import { replay } from './evaluation/replay';
import type { EvaluateOptions, EvaluationResult } from './evaluation/types';

export { CaseTable } from './evaluation/case-table';
export { replay, type Replay } from './evaluation/replay';
export { summarize } from './evaluation/figures';
export { pinballTerm } from './evaluation/pinball';
export { selectLevels, pairedGain, type LevelSelection, type LevelSelectionOptions, type LevelStep, type LevelTrial } from './evaluation/select-levels';
export type { CalibrationRow, EvaluateOptions, EvaluationResult, FrontierPoint, GroupFigures, HonestFigures, MonthlyFigures } from './evaluation/types';

/**
 * Evaluates the recommender on history, as `kept evaluate` does: {@link replay} replays the cases in
 * time order (recommending each case's promise from what was known when it was created, and scoring it
 * by its real outcome); {@link summarize} turns the outcomes into the figures.
 */
export function evaluate(table: CaseTable, options: EvaluateOptions = {}): EvaluationResult {
  return summarize(table, replay(table, options));
}
