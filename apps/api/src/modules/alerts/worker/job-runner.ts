import { EventEmitter } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import { Logger as QueueLogger, run, Runner, TaskList, WorkerEvents } from 'graphile-worker';
import pino from 'pino';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '../../../common/idempotency/idempotency.interceptor';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import { AlertPlanner } from '../alert-planner.service';
import { AlertFiringService, FireDuePayload, FirePayload } from './alert-firing.service';
import { DeliverPayload, DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';
import { Heartbeat } from './heartbeat';
import { OwnerPool } from './owner-pool';
import { RecoverySweepService } from './recovery-sweep.service';

/** How soon a delivery whose endpoint had no free slot is tried again. */
const DELIVERY_BUSY_RETRY_MS = 200;

/** A started job pool. */
export interface RunningJobs {
  poolId: string;
  /** Sweeps once now (tests): releases the jobs of silent pools. */
  sweep(): Promise<string[]>;
}

/**
 * Runs a graphile-worker pool on Kept's jobs: fire alerts, deliver e-mails and webhooks, hourly digests
 * and tenant re-plans. The task handlers are thin adapters: each parses its payload and calls one
 * injected service, so jobs share the API's services, tenant transactions and Clock. Job keys and the
 * re-queue of an early alert (`alert:<id>`, replace) are the same as the database triggers use.
 */
@Injectable()
export class JobRunner {
  private readonly log: pino.Logger;
  private runner: Runner | null = null;
  private heartbeat: Heartbeat | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly owner: OwnerPool,
    private readonly firing: AlertFiringService,
    private readonly delivery: DeliveryService,
    private readonly digests: DigestService,
    private readonly planner: AlertPlanner,
    private readonly recovery: RecoverySweepService,
  ) {
    this.log = pino({ name: 'kept-worker', level: config.logLevel });
  }

  private readonly taskList: TaskList = {
    // The job of a tenant's due second (key and payload as the database trigger writes them: migration FireAlertsInBatches).
    fire_due_alerts: async (payload, helpers) => {
      const p = payload as FireDuePayload;
      const key = `fire:${p.tenantId}:${p.second}`;
      const result = await this.firing.fireDue(p);
      if (result.requeueAt) {
        await helpers.addJob('fire_due_alerts', { tenantId: p.tenantId, second: p.second }, { runAt: result.requeueAt, jobKey: key, jobKeyMode: 'replace', maxAttempts: 50 });
      }
    },
    // Jobs of one alert each, queued before set-based firing.
    fire_alert: async (payload, helpers) => {
      const p = payload as FirePayload;
      const result = await this.firing.fire(p);
      if (result.outcome === 'early') {
        await helpers.addJob('fire_alert', p, { runAt: result.dueAt, jobKey: `alert:${p.alertId}`, jobKeyMode: 'replace', maxAttempts: 50 });
      }
    },
    deliver: async (payload, helpers) => {
      const p = payload as DeliverPayload;
      // Every slot of its endpoint taken: back in the queue for a moment (the same key and priority as the trigger's).
      if ((await this.delivery.deliver(p)) === 'busy') {
        const runAt = new Date(Date.now() + DELIVERY_BUSY_RETRY_MS);
        await helpers.addJob('deliver', p, { runAt, jobKey: `delivery:${p.deliveryId}`, jobKeyMode: 'replace', maxAttempts: 10, priority: 10 });
      }
    },
    send_digests: async () => {
      const n = await this.digests.sendDigests();
      if (n) this.log.info({ digests: n }, 'digests queued');
    },
    expire_idempotency_keys: async () => {
      const { rows } = await this.owner.pool.query<{ n: number }>('SELECT kept_expire_idempotency_keys($1) AS n', [IDEMPOTENCY_KEY_TTL_HOURS]);
      if (rows[0]?.n) this.log.info({ keys: rows[0].n }, 'expired idempotency keys deleted');
    },
    recovery_sweep: async () => {
      const n = await this.recovery.sweep();
      if (n) this.log.info({ alerts: n }, 'recovery alerts raised');
    },
    replan_tenant: async (payload) => {
      const n = await this.planner.replanTenant((payload as { tenantId: string }).tenantId);
      this.log.info({ cases: n }, 'tenant re-planned');
    },
  };

  /** Starts the pool and its heartbeat; any number of pools may run, in API processes or alone. */
  async start(): Promise<RunningJobs> {
    const options = this.config.worker;
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    let poolId: string | null = null;
    events.on('pool:create', ({ workerPool }) => {
      poolId = workerPool.id;
    });
    events.on('job:error', ({ job, error }) => this.log.warn({ task: job.task_identifier, jobId: job.id, err: error }, 'job failed; it will be retried'));

    const runner = await run({
      connectionString: this.config.ownerDatabaseUrl,
      concurrency: options.concurrency,
      maxPoolSize: options.concurrency + 2,
      pollInterval: options.pollIntervalMs,
      noHandleSignals: true,
      taskList: this.taskList,
      // Five past every hour: the digest of the previous full hour (cron items are deduplicated across workers).
      // Every hour at :17, idempotency keys older than 24 h are deleted.
      // Every ten minutes, missed cases without a root cause and overdue corrective actions alert the managers.
      crontab: '5 * * * * send_digests ?max=1\n17 * * * * expire_idempotency_keys ?max=1\n*/10 * * * * recovery_sweep ?max=1\n',
      events,
      logger: queueLogger(this.log),
      // Batching (graphile-worker's local queue): one query fetches (and locks) the jobs now due for the
      // whole pool, and completions are committed together. Halves the queries per alert under load.
      preset: {
        worker: {
          localQueue: { size: options.localQueueSize },
          completeJobBatchDelay: 0,
          failJobBatchDelay: 0,
        },
      },
    });
    this.runner = runner;
    if (!poolId) {
      await this.stop();
      throw new Error('graphile-worker did not report its pool id');
    }
    const heartbeat = new Heartbeat(this.owner.pool, poolId, { intervalMs: options.heartbeatMs, staleAfterMs: options.staleAfterMs }, (err) =>
      this.log.warn({ err }, 'heartbeat failed'),
    );
    await heartbeat.start();
    this.heartbeat = heartbeat;
    this.log.info({ poolId, concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, 'worker started');
    return { poolId, sweep: () => heartbeat.beat() };
  }

  /** Stops taking jobs and waits for the running ones (idempotent). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.heartbeat?.stop();
      await this.runner?.stop();
    })();
    return this.stopping;
  }
}

function queueLogger(log: pino.Logger): QueueLogger {
  return new QueueLogger((scope) => (level: string, message: string, meta?: unknown) => {
    const fields = { scope: { label: scope.label, workerId: scope.workerId, taskIdentifier: scope.taskIdentifier }, meta };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else log.debug(fields, message);
  });
}
