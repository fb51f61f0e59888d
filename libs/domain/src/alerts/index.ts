export type {
  AlertPlanInput,
  AlertProgress,
  AlertPolicyRules,
  AlertRuleKind,
  AlertSeverity,
  AlertTarget,
  AlertWindow,
  PlannedAlert,
} from './plan';
export { planAlerts } from './plan';
export type { QuietHours } from './quiet-hours';
export { sendAfterQuietHours } from './quiet-hours';
