// The alerts module's public face: other modules and the application roots import from here only.
export { AlertsModule } from './alerts.module';
export { AlertPlanner } from './alert-planner.service';
export type { PlanContext, ReplanResult } from './alert-planner';
export { AlertRaiser, FIELD_REQUESTS_POLICY } from './alert-raiser.service';
export type { RaiseAlert } from './alert-raiser.service';
export { AlertsWorkerModule } from './worker/worker.module';
export { WorkerHost } from './worker/worker-host';
export type { RunningJobs } from './worker/job-runner';
export { DigestService } from './worker/digest.service';
export { WebhookEgress } from './webhook-egress';
export { RecoveryAlerts } from './recovery-alerts';
export type { RecoveryAlertKind } from './recovery-alerts';
export { RecoverySweepService } from './worker/recovery-sweep.service';
export { CustomerAlerts } from './customer-alerts';
export type { CustomerSignal } from './customer-alerts';
