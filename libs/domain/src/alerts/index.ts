export type {
  AlertPlanInput,
  AlertPolicyRules,
  AlertRuleKind,
  AlertSeverity,
  AlertTarget,
  AlertWindow,
  PlannedAlert,
} from './plan';
export { planAlerts } from './plan';
