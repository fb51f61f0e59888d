import type { Server } from 'node:http';
import { loadConfig } from './config/config';
import { createApp } from './create-app';
import { shutdownApi } from './graceful-shutdown';
import { Metrics, startMetricsServer } from './modules/metrics';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const extraServers: Server[] = [];
  if (config.ops.metricsPort !== null) {
    const metricsServer = await startMetricsServer(app.get(Metrics), config.ops.metricsPort);
    extraServers.push(metricsServer);
    const m = metricsServer.address();
    process.stdout.write(`Kept API metrics on port ${typeof m === 'object' && m ? m.port : config.ops.metricsPort}\n`);
  }
  // The start script waits for this exact line.
  process.stdout.write(`Kept API listening on port ${port}\n`);

  const log = (message: string) => process.stdout.write(`Kept API: ${message}\n`);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return; // a second signal changes nothing: the deadline already bounds the wait
      stopping = true;
      log(`${signal}: draining (at most ${config.ops.shutdownTimeoutMs} ms)`);
      void shutdownApi(app, { timeoutMs: config.ops.shutdownTimeoutMs, log, extraServers }).then((clean) => {
        log(clean ? 'stopped' : 'stopped at the deadline');
        process.exit(clean ? 0 : 1);
      });
    });
  }
}

main().catch((err) => {
  process.stderr.write(`Kept API failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
