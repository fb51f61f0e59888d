import { loadConfig } from './config/config';
import { startWorker } from './create-worker';

/** `npm run worker`: a job worker on its own (any number may run beside the API). */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!process.env.JWT_SECRET) {
    // Live events are signed with a key derived from JWT_SECRET; API processes drop what they cannot verify.
    process.stderr.write('Kept worker: JWT_SECRET is not set, so API processes will not relay this worker\'s live events\n');
  }
  const worker = await startWorker(config);
  process.stdout.write(`Kept worker ${worker.poolId} running (concurrency ${config.worker.concurrency})\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void worker.stop().then(() => process.exit(0));
    });
  }
}

main().catch((err) => {
  process.stderr.write(`Kept worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
