import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
// This file runs in Node (the e2e harness), not in the browser the web lint rules guard.
import { Client } from 'pg';

/** The repository root (this file is apps/web/e2e/support/product.ts). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

const READY_LINE = /Kept is ready at (http:\/\/\S+)/;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

export interface RunningProduct {
  /** Where the web app and the API (under /api/v1) are served, e.g. http://localhost:41234. */
  url: string;
  databaseName: string;
  /** The database's URL (the owner's), for checks behind the product's back. */
  databaseUrl: string;
  /** The `scripts/start.mjs` process (its own process group). */
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr, the last 2,000 chunks). */
  output(): string;
  /** Stops the product, then drops its database. */
  stop(): Promise<void>;
}

function adminDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'The web e2e tests need PostgreSQL: set DATABASE_URL to a database URL whose user may CREATE DATABASE, ' +
        'e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test',
    );
  }
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Runs the whole product the way `npm start` does (scripts/start.mjs, already built: KEPT_NO_BUILD=1)
 * against a fresh, empty database that it creates and drops again, on a free port.
 */
export async function startProduct(): Promise<RunningProduct> {
  const adminUrl = adminDatabaseUrl();
  const startScript = path.join(REPO_ROOT, 'scripts/start.mjs');
  if (!existsSync(startScript)) throw new Error(`${startScript} is missing`);
  if (!existsSync(path.join(REPO_ROOT, 'apps/web/dist/index.html'))) {
    throw new Error('apps/web/dist is not built: run `npx nx run web:build` first');
  }

  const databaseName = `kept_e2e_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (client) => client.query(`CREATE DATABASE "${databaseName}"`));
  const dropDatabase = () =>
    admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)).then(
      () => undefined,
    );

  const port = await freePort();
  const child = spawn(process.execPath, [startScript], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: withDatabase(adminUrl, databaseName),
      PORT: String(port),
      KEPT_NO_BUILD: '1',
      // Jest sets NODE_ENV=test, under which the API starts no job worker; `npm start` runs one in process.
      WORKER: 'in-process',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a stuck API child can be killed with it
  });

  // Keep the tail of the output to explain a failed start.
  const output: string[] = [];
  const remember = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 2000) output.shift();
  };
  child.stderr!.on('data', remember);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        await waitForExit(child, 5_000);
      }
    }
    await dropDatabase();
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(
        () => reject(new Error(`Kept did not report ready within ${READY_TIMEOUT_MS / 1000} s`)),
        READY_TIMEOUT_MS,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        remember(chunk);
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const match = READY_LINE.exec(line);
          if (match) {
            clearTimeout(timer);
            resolve(match[1].replace(/\/$/, ''));
          }
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`scripts/start.mjs exited before it was ready (code ${code}, signal ${signal})`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return { url, databaseName, databaseUrl: withDatabase(adminUrl, databaseName), child, output: () => output.join(''), stop };
  } catch (error) {
    await stop().catch(() => undefined);
    const tail = output.join('').split('\n').slice(-40).join('\n');
    throw new Error(`${(error as Error).message}\n--- output of scripts/start.mjs ---\n${tail}`);
  }
}
