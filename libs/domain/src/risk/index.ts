export type { AtRiskSinceInput, CaseRiskInput, RemainingWork, RiskReason } from './risk';
export { assessRisk, atRiskMinute, atRiskSince, remainingWork } from './risk';
