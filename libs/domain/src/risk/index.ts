export type { AtRiskSinceInput, CaseRiskInput, RemainingWork, RiskReason } from './risk';
export { assessRisk, atRiskMinute, atRiskSince, remainingWork } from './risk';
export type { BoardRankInput, BoardRiskClass, ChanceToKeep } from './signal';
export { BOARD_RANK_CLASSES, boardRank, chanceToKeep, LIKELY_KEPT } from './signal';
