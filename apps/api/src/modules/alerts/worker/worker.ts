import { EventEmitter } from 'node:events';
import { Logger as QueueLogger, run, Runner, TaskList, WorkerEvents } from 'graphile-worker';
import { Pool } from 'pg';
import pino from 'pino';
import type { AppConfig } from '../../../config/config';
import { deliver, DeliverPayload } from './deliver';
import { sendDigests } from './digest';
import { fireAlert, FirePayload } from './fire-alert';
import { Heartbeat } from './heartbeat';
import { Mailer } from './mailer';
import { replanTenant } from './replan-tenant';

export type WorkerOptions = AppConfig['worker'] & {
  /** Owner connection: the job queue's schema and the heartbeat sweep. */
  ownerDatabaseUrl: string;
  /** Runtime role (RLS): every job's data access. */
  appDatabaseUrl: string;
  logLevel: string;
};

export const workerOptionsOf = (config: AppConfig): WorkerOptions => ({
  ...config.worker,
  ownerDatabaseUrl: config.ownerDatabaseUrl,
  appDatabaseUrl: config.appDatabaseUrl,
  logLevel: config.logLevel,
});

export interface RunningWorker {
  poolId: string;
  stop(): Promise<void>;
  /** Sweeps once now (tests): releases the jobs of silent pools. */
  sweep(): Promise<string[]>;
}

/**
 * Starts a graphile-worker pool running Kept's jobs: fire alerts, deliver e-mails and webhooks,
 * hourly digests and tenant re-plans. Any number may run, in the API process or alone.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = pino({ name: 'kept-worker', level: options.logLevel });
  const appPool = new Pool({ connectionString: options.appDatabaseUrl, max: options.concurrency + 2, application_name: 'kept-worker' });
  const ownerPool = new Pool({ connectionString: options.ownerDatabaseUrl, max: 2, application_name: 'kept-worker-sweep' });
  const mailer = new Mailer(options.smtpUrl, options.mailFrom);
  const deps = {
    mailer,
    webhookTimeoutMs: options.webhookTimeoutMs,
    retryScheduleSeconds: options.retryScheduleSeconds,
    publicUrl: options.publicUrl,
  };

  const taskList: TaskList = {
    fire_alert: async (payload, helpers) => {
      const p = payload as FirePayload;
      const result = await fireAlert(appPool, p);
      if (result.outcome === 'early') {
        await helpers.addJob('fire_alert', p, { runAt: result.dueAt, jobKey: `alert:${p.alertId}`, jobKeyMode: 'replace', maxAttempts: 50 });
      }
    },
    deliver: async (payload) => {
      await deliver(appPool, deps, payload as DeliverPayload);
    },
    send_digests: async () => {
      const n = await sendDigests(ownerPool, appPool);
      if (n) log.info({ digests: n }, 'digests queued');
    },
    replan_tenant: async (payload) => {
      const n = await replanTenant(appPool, (payload as { tenantId: string }).tenantId);
      log.info({ cases: n }, 'tenant re-planned');
    },
  };

  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  let poolId: string | null = null;
  events.on('pool:create', ({ workerPool }) => {
    poolId = workerPool.id;
  });
  events.on('job:error', ({ job, error }) => log.warn({ task: job.task_identifier, jobId: job.id, err: error }, 'job failed; it will be retried'));

  const runner: Runner = await run({
    connectionString: options.ownerDatabaseUrl,
    concurrency: options.concurrency,
    maxPoolSize: options.concurrency + 2,
    pollInterval: options.pollIntervalMs,
    noHandleSignals: true,
    taskList,
    // Five past every hour: the digest of the previous full hour (cron items are deduplicated across workers).
    crontab: '5 * * * * send_digests ?max=1\n',
    events,
    logger: queueLogger(log),
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
  if (!poolId) {
    await runner.stop();
    throw new Error('graphile-worker did not report its pool id');
  }
  const heartbeat = new Heartbeat(ownerPool, poolId, { intervalMs: options.heartbeatMs, staleAfterMs: options.staleAfterMs }, (err) =>
    log.warn({ err }, 'heartbeat failed'),
  );
  await heartbeat.start();
  log.info({ poolId, concurrency: options.concurrency, pollIntervalMs: options.pollIntervalMs }, 'worker started');

  let stopping: Promise<void> | null = null;
  return {
    poolId,
    sweep: () => heartbeat.beat(),
    stop: () => {
      stopping ??= (async () => {
        await heartbeat.stop();
        await runner.stop();
        mailer.close();
        await appPool.end();
        await ownerPool.end();
      })();
      return stopping;
    },
  };
}

function queueLogger(log: pino.Logger): QueueLogger {
  return new QueueLogger((scope) => (level: string, message: string, meta?: unknown) => {
    const fields = { scope: { label: scope.label, workerId: scope.workerId, taskIdentifier: scope.taskIdentifier }, meta };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else log.debug(fields, message);
  });
}
