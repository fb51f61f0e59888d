// The metrics module's public face.
export { MetricsModule, MetricsHttpModule } from './metrics.module';
export { Metrics } from './metrics';
export type { DeliveryOutcome } from './metrics';
export { startMetricsServer } from './metrics-server';
