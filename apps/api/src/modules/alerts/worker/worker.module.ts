import { DynamicModule, Module } from '@nestjs/common';
import { CUSTOMER_MAIL_SENDER, CustomerEmailDeliveryService, CustomerEmailRepository } from '../../customer-emails';
import { EventsModule } from '../../events';
import { AlertsModule } from '../alerts.module';
import { AlertFiringService } from './alert-firing.service';
import { DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';
import { FiringRepository } from './firing.repository';
import { JobRunner } from './job-runner';
import { JobsRepository } from './jobs.repository';
import { Mailer } from './mailer';
import { OwnerPool } from './owner-pool';
import { RecoverySweepService } from './recovery-sweep.service';
import { WORKER_AUTOSTART, WorkerHost } from './worker-host';

/**
 * The job runtime: graphile-worker's pool, the heartbeat sweep, and the services the jobs call. The same
 * module runs inside the API (`start` from `WORKER=in-process`) and as `npm run worker` (a Nest
 * application context, `start: true`), so both share one set of services and one Clock.
 */
@Module({})
export class AlertsWorkerModule {
  static forRoot(options: { start: boolean }): DynamicModule {
    return {
      module: AlertsWorkerModule,
      imports: [AlertsModule, EventsModule],
      providers: [
        { provide: WORKER_AUTOSTART, useValue: options.start },
        JobsRepository,
        FiringRepository,
        AlertFiringService,
        DeliveryService,
        DigestService,
        Mailer,
        // The customer e-mails (issue 14) go out through the same SMTP transport and job pool.
        { provide: CUSTOMER_MAIL_SENDER, useExisting: Mailer },
        CustomerEmailRepository,
        CustomerEmailDeliveryService,
        OwnerPool,
        RecoverySweepService,
        JobRunner,
        WorkerHost,
      ],
      exports: [WorkerHost, DigestService, RecoverySweepService],
    };
  }
}
