// The alerts module's public face: other modules and the application roots import from here only.
export { AlertsModule } from './alerts.module';
export { AlertPlanner } from './alert-planner.service';
export { AlertRaiser, FIELD_REQUESTS_POLICY } from './alert-raiser.service';
export type { RaiseAlert } from './alert-raiser.service';
export type { ReplanResult } from './alert-planner';
export { AlertsWorkerModule } from './worker/worker.module';
export { WorkerHost } from './worker/worker-host';
export type { RunningJobs } from './worker/job-runner';
export { DigestService } from './worker/digest.service';
export { WebhookEgress } from './webhook-egress';
