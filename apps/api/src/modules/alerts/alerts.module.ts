import { Module } from '@nestjs/common';
import { EventsModule } from '../events';
import { AlertPlanner } from './alert-planner.service';
import { AlertRaiser } from './alert-raiser.service';
import { AlertsController } from './alerts.controller';
import { CustomerAlerts } from './customer-alerts';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { WebhooksController } from './webhooks.controller';
import { WebhookEgress } from './webhook-egress';
import { WebhooksService } from './webhooks.service';
import { RecoveryAlerts } from './recovery-alerts';
import { JobsRepository } from './worker/jobs.repository';

/**
 * Alerts: inbox, policies, webhooks and notification preferences, plus the {@link AlertPlanner} that
 * cases, status links and the worker's jobs call. The jobs themselves are in `worker/` (AlertsWorkerModule).
 */
@Module({
  imports: [EventsModule],
  controllers: [AlertsController, PoliciesController, WebhooksController],
  providers: [AlertsService, PoliciesService, WebhooksService, AlertsRepository, AlertPlanner, AlertRaiser, WebhookEgress, JobsRepository, RecoveryAlerts, CustomerAlerts],
  exports: [AlertPlanner, AlertRaiser, WebhookEgress, RecoveryAlerts, CustomerAlerts],
})
export class AlertsModule {}
