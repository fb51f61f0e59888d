import { EventEmitter } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import { Logger as QueueLogger, run, Runner, TaskList, WorkerEvents } from 'graphile-worker';
import pino from 'pino';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '../../../common/idempotency/idempotency.interceptor';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import { CustomerEmailDeliveryService, DeliverCustomerEmailPayload } from '../../customer-emails';
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
  /** The pool running now (null while a replacement starts). */
  private current: { runner: Runner; poolId: string; heartbeat: Heartbeat } | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly owner: OwnerPool,
    private readonly firing: AlertFiringService,
    private readonly delivery: DeliveryService,
    private readonly digests: DigestService,
    private readonly planner: AlertPlanner,
    private readonly recovery: RecoverySweepService,
    private readonly customerEmails: CustomerEmailDeliveryService,
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
    deliver_customer_email: async (payload) => {
      await this.customerEmails.deliver(payload as DeliverCustomerEmailPayload);
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

  /**
   * Starts the pool and its heartbeat; any number of pools may run, in API processes or alone. The pool
   * is supervised: graphile-worker ends a pool when PostgreSQL goes away under it (a restart while a job
   * completes), so a pool that ends unasked is replaced by a new one as soon as the database answers.
   */
  async start(): Promise<RunningJobs> {
    await this.startPool();
    const current = () => {
      if (!this.current) throw new Error('the job pool is restarting');
      return this.current;
    };
    return {
      get poolId() {
        return current().poolId;
      },
      sweep: () => current().heartbeat.beat(),
    };
  }

  private async startPool(): Promise<void> {
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
          // On shutdown, running jobs get the process's whole budget before they are told to abort.
          gracefulShutdownAbortTimeout: this.config.ops.shutdownTimeoutMs,
        },
      },
    });
    const heartbeat = poolId
      ? new Heartbeat(this.owner.pool, poolId, { intervalMs: options.heartbeatMs, staleAfterMs: options.staleAfterMs }, (err) =>
          this.log.warn({ err }, 'heartbeat failed'),
        )
      : null;
    try {
      if (!poolId || !heartbeat) throw new Error('graphile-worker did not report its pool id');
      if (this.stopping) throw new Error('stopping');
      await heartbeat.start();
    } catch (err) {
      await runner.stop().catch(() => undefined);
      throw err;
    }
    const id: string = poolId;
    this.current = { runner, poolId: id, heartbeat };
    runner.promise.then(
      () => this.onPoolExit(id, null),
      (err: unknown) => this.onPoolExit(id, err),
    );
    this.log.info({ poolId: id, concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, 'worker started');
  }

  private onPoolExit(poolId: string, err: unknown): void {
    if (this.stopping || this.current?.poolId !== poolId) return;
    this.log.warn({ poolId, err }, 'the job pool ended unasked (database restart?); starting a new one');
    const dead = this.current;
    this.current = null;
    // Silent from now on: if the release below cannot run, every live pool's sweep releases its jobs.
    void dead.heartbeat.stop().catch(() => undefined);
    void this.replace(dead.poolId);
  }

  /** Starts a new pool once the database answers, then releases the jobs the ended pool still locks. */
  private async replace(deadPoolId: string): Promise<void> {
    for (let delay = 250; !this.stopping; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.startPool();
      } catch (err) {
        if (this.stopping) return;
        this.log.warn({ err: (err as Error).message, retryInMs: delay }, 'job pool could not start yet');
        await new Promise((r) => setTimeout(r, delay).unref());
        continue;
      }
      // Nobody will finish the ended pool's jobs: run them again now (the alert's state guard makes a re-run harmless).
      await this.owner.pool
        .query('SELECT graphile_worker.force_unlock_workers($1::text[])', [[deadPoolId]])
        .catch((err: Error) => this.log.warn({ err: err.message }, 'could not release the ended pool\'s jobs; the heartbeat sweep will'));
      return;
    }
  }

  /** Stops taking jobs and waits for the running ones (idempotent). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const current = this.current;
      await current?.heartbeat.stop();
      await current?.runner.stop();
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
