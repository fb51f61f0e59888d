import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { EventHub } from './events/event-hub';
import { EventsController } from './events/events.controller';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { WorkerHost } from './worker/worker-host';

/** Alerts: inbox, policies, webhooks, notification preferences and the live event stream. */
@Module({
  controllers: [AlertsController, PoliciesController, WebhooksController, EventsController],
  providers: [AlertsService, PoliciesService, WebhooksService, EventHub, WorkerHost],
  exports: [EventHub],
})
export class AlertsModule {}
