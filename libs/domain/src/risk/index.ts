export type { CaseRiskInput, RemainingWork, RiskReason } from './risk';
export { assessRisk, atRiskMinute, remainingWork } from './risk';
