import { loadConfig } from './config/config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // The start script waits for this exact line.
  process.stdout.write(`Kept API listening on port ${port}\n`);
}

main().catch((err) => {
  process.stderr.write(`Kept API failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
