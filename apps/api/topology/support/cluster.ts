import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NGINX, prepareNginx } from '../../../../scripts/lib/nginx';
import { seedDemo } from '../../src/database/demo-seed';
import { createTestDatabase, TestDatabase } from '../../test/support/database';
import { eventually, freePort, Proc, startProcess } from './processes';

/** The repository root (this file is apps/api/topology/support/cluster.ts). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const JWT_SECRET = 'topology-secret-topology-secret-topology-0';

export interface ApiProcess extends Proc {
  port: number;
  /** `127.0.0.1:<port>`, as nginx names the upstream in `$upstream_addr`. */
  address: string;
}

export interface WorkerProcess extends Proc {
  /** graphile-worker's pool id: what it writes into `locked_by` and `worker_heartbeats`. */
  poolId: string;
}

export interface Cluster {
  db: TestDatabase;
  /** The balancer: every client of the tests talks to this. */
  url: string;
  apis: ApiProcess[];
  workers: WorkerProcess[];
  nginx: Proc;
  /** Starts API `i` again on its port (after a kill). */
  restartApi(i: number): Promise<void>;
  stop(): Promise<void>;
}

function apiEnv(db: TestDatabase, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: db.ownerUrl,
    APP_DATABASE_URL: db.appUrl,
    JWT_SECRET,
    PORT: String(port),
    WORKER: 'off',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '5',
    TRUST_PROXY: 'loopback',
    WEB_DIST: path.join(REPO_ROOT, 'apps/web/dist'),
  };
}

async function startApi(db: TestDatabase, name: string, port: number): Promise<ApiProcess> {
  const { proc } = await startProcess(name, process.execPath, [path.join(REPO_ROOT, 'dist/apps/api/src/main.js')], {
    cwd: REPO_ROOT,
    env: apiEnv(db, port),
    ready: /Kept API listening on port \d+/,
  });
  return Object.assign(proc, { port, address: `127.0.0.1:${port}` });
}

async function startWorker(db: TestDatabase, name: string): Promise<WorkerProcess> {
  // What `npm run worker` runs, started directly so that a SIGKILL reaches the worker itself, not npm.
  const { proc, match } = await startProcess(name, process.execPath, [path.join(REPO_ROOT, 'dist/apps/api/src/worker.js')], {
    cwd: REPO_ROOT,
    env: { ...apiEnv(db, 0), WORKER_CONCURRENCY: '5' },
    ready: /Kept worker (\S+) running/,
  });
  return Object.assign(proc, { poolId: match[1] });
}

/**
 * The scale-out topology on this machine: one PostgreSQL database (cloned from the test template, with
 * the demo tenant), `apis` API processes from dist/ with WORKER=off, `workers` job workers, and Debian's
 * nginx with docker/nginx.conf in front of the APIs. Resolves when the balancer answers /health.
 */
export async function startCluster(options: { apis?: number; workers?: number } = {}): Promise<Cluster> {
  const main = path.join(REPO_ROOT, 'dist/apps/api/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx run-many -t build)`);
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx (Debian), or set KEPT_NGINX`);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const db = await createTestDatabase();
    stops.push(() => db.drop());
    await seedDemo(db.ownerUrl, { cases: 10 });

    const apis: ApiProcess[] = [];
    for (let i = 0; i < (options.apis ?? 2); i++) {
      const api = await startApi(db, `api-${String.fromCharCode(97 + i)}`, await freePort());
      apis.push(api);
    }
    stops.push(() => Promise.all(apis.map((a) => a.stop())).then(() => undefined));
    const workers: WorkerProcess[] = [];
    stops.push(() => Promise.all(workers.map((w) => w.stop())).then(() => undefined));
    for (let i = 0; i < (options.workers ?? 2); i++) workers.push(await startWorker(db, `worker-${i + 1}`));

    const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-topology-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const nginxCommand = prepareNginx(dir, { port, upstreams: apis.map((a) => a.address), pins: true });
    const { proc: nginx } = await startProcess('nginx', nginxCommand.command, nginxCommand.args, { cwd: dir, env: process.env, ready: null });
    stops.push(() => nginx.stop('SIGQUIT'));
    const url = `http://127.0.0.1:${port}`;
    const answered = await eventually(
      async () => (nginx.alive() ? (await fetch(`${url}/api/v1/health`)).status === 200 && 'up' : 'exited'),
      30_000,
      'the balancer answers /api/v1/health',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${nginx.output()}`);
    });
    if (answered === 'exited') throw new Error(`nginx exited:\n${nginx.output()}`);

    return {
      db,
      url,
      apis,
      workers,
      nginx,
      async restartApi(i) {
        const old = apis[i];
        await old.stop('SIGKILL');
        apis[i] = await startApi(db, old.name, old.port);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
