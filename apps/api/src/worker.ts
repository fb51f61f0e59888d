import type { Server } from 'node:http';
import { loadConfig } from './config/config';
import { startWorker } from './create-worker';
import { shutdownWorker } from './graceful-shutdown';
import { Metrics, startMetricsServer } from './modules/metrics';

/** `npm run worker`: a job worker on its own (any number may run beside the API). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!process.env.JWT_SECRET) {
    // Live events are signed with a key derived from JWT_SECRET; API processes drop what they cannot verify.
    process.stderr.write('Kept worker: JWT_SECRET is not set, so API processes will not relay this worker\'s live events\n');
  }
  const worker = await startWorker(config);
  const extraServers: Server[] = [];
  if (config.ops.metricsPort !== null) {
    // The worker has no HTTP server: Prometheus scrapes this one (no token: bind it to the internal network).
    const metricsServer = await startMetricsServer(worker.app.get(Metrics), config.ops.metricsPort);
    extraServers.push(metricsServer);
    const m = metricsServer.address();
    process.stdout.write(`Kept worker metrics on port ${typeof m === 'object' && m ? m.port : config.ops.metricsPort}\n`);
  }
  process.stdout.write(`Kept worker ${worker.poolId} running (concurrency ${config.worker.concurrency})\n`);
  const log = (message: string) => process.stdout.write(`Kept worker: ${message}\n`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: finishing running jobs (at most ${config.ops.shutdownTimeoutMs} ms)`);
      void shutdownWorker(() => worker.stop(), { timeoutMs: config.ops.shutdownTimeoutMs, log, extraServers }).then((clean) => {
        log(clean ? 'stopped' : 'stopped at the deadline');
        process.exit(clean ? 0 : 1);
      });
    });
  }
}

main().catch((err) => {
  process.stderr.write(`Kept worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
