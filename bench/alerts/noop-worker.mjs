#!/usr/bin/env node
// The baseline of bench/alerts: a graphile-worker pool with the same poll interval and concurrency as
// Kept's workers, running a job that only records when it started (the engine's own latency).
import { run } from 'graphile-worker';

const runner = await run({
  connectionString: process.env.DATABASE_URL,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 10),
  maxPoolSize: Number(process.env.WORKER_CONCURRENCY ?? 10) + 2,
  pollInterval: Number(process.env.WORKER_POLL_INTERVAL_MS ?? 100),
  noHandleSignals: true,
  // The same batching as Kept's workers (see apps/api/src/modules/alerts/worker/job-runner.ts).
  preset: {
    worker: {
      localQueue: { size: Number(process.env.WORKER_LOCAL_QUEUE_SIZE ?? Number(process.env.WORKER_CONCURRENCY ?? 10) + 1) },
      completeJobBatchDelay: 0,
      failJobBatchDelay: 0,
    },
  },
  taskList: {
    noop: async (_payload, helpers) => {
      await helpers.query(
        `INSERT INTO bench_noop (job_key, run_at, started_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT DO NOTHING`,
        [helpers.job.key, helpers.job.run_at],
      );
    },
  },
});
process.stdout.write(`noop worker ${process.pid} running\n`);
process.once('SIGTERM', () => runner.stop().then(() => process.exit(0)));
