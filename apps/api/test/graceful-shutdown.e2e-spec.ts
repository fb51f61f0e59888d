import { Client } from 'pg';
import { seedDemo } from '../src/database/demo-seed';
import { createTestDatabase, TestDatabase } from './support/database';
import { spawnBuilt } from './support/process';
import { sql } from './support/sql';
import { eventually } from './support/wait';

/**
 * SIGTERM on the built processes (docs/operations.md): the API stops taking connections, ends its event
 * streams with a final `shutdown` event, lets the in-flight request finish and exits 0; the worker
 * lets its running job finish and exits 0. The request and the job are held mid-way by a lock the test
 * takes, so nothing depends on how fast the machine is.
 */
describe('graceful shutdown (SIGTERM)', () => {
  jest.setTimeout(120_000);
  let db: TestDatabase;
  let env: Record<string, string>;
  const holders: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.ownerUrl, { cases: 5 });
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.ownerUrl,
      APP_DATABASE_URL: db.appUrl,
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: 'warn',
      PORT: '0',
      WORKER: 'off',
      SHUTDOWN_TIMEOUT_MS: '60000',
    };
  });
  afterAll(async () => {
    for (const c of holders) await c.end().catch(() => undefined);
    await db?.drop();
  });

  /** An owner connection holding `lock` in an open transaction until `release()`. */
  async function hold(lock: string) {
    const c = new Client({ connectionString: db.ownerUrl });
    holders.push(c);
    await c.connect();
    await c.query('BEGIN');
    await c.query(lock);
    return { release: () => c.query('COMMIT') };
  }

  /** Sessions of the database waiting on a lock whose query matches `like`. */
  const waitingOnLock = async (like: string) =>
    (
      await sql(db.ownerUrl, `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`, [like])
    ).length > 0;

  it('API: the in-flight request completes, the event stream gets a final event, new connections are refused, exit 0', async () => {
    const api = spawnBuilt('dist/apps/api/src/main.js', env);
    try {
      const [, port] = await api.waitFor(/Kept API listening on port (\d+)/);
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'dispatcher@demo.kept.test', password: 'kept-demo' }),
      });
      expect(login.status).toBe(200);
      const token = ((await login.json()) as { accessToken: string }).accessToken;

      const stream = await fetch(`${base}/api/v1/events?access_token=${token}`);
      expect(stream.status).toBe(200);
      let streamed = '';
      const reader = stream.body!.getReader();
      const streamEnded = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return true;
          streamed += new TextDecoder().decode(value);
        }
      })();
      await eventually(async () => streamed.includes(': connected'), 15_000, 'the stream connected');

      // A request held mid-way: the cases table is locked by the test.
      const lock = await hold('LOCK TABLE cases IN ACCESS EXCLUSIVE MODE');
      const inFlight = fetch(`${base}/api/v1/cases?limit=3`, { headers: { Authorization: `Bearer ${token}` } });
      await eventually(() => waitingOnLock('%cases%'), 15_000, 'the request waits on the lock');

      api.child.kill('SIGTERM');
      await api.waitFor(/SIGTERM: draining/);
      // The stream is told and ended; new connections are refused; the process waits for the request.
      expect(await streamEnded).toBe(true);
      expect(streamed).toMatch(/event: shutdown\ndata: \{"reconnect":true\}/);
      await eventually(
        () =>
          fetch(`${base}/api/v1/health/live`, { signal: AbortSignal.timeout(5000) }).then(
            () => false,
            () => true,
          ),
        15_000,
        'new connections refused',
      );
      expect(api.child.exitCode).toBeNull();

      await lock.release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(3);
      expect(await api.exited).toBe(0);
      expect(api.output()).toMatch(/Kept API: stopped\n/);
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  });

  it('worker: the running job finishes before the process exits 0; its metrics listener answers meanwhile', async () => {
    const lock = await hold('LOCK TABLE idempotency_keys IN ACCESS EXCLUSIVE MODE');
    const [{ id: jobId }] = await sql<{ id: string }>(db.ownerUrl, `SELECT (graphile_worker.add_job('expire_idempotency_keys', '{}'::json)).id`);
    const worker = spawnBuilt('dist/apps/api/src/worker.js', { ...env, METRICS_PORT: '0', WORKER_POLL_INTERVAL_MS: '50' });
    try {
      const [, metricsPort] = await worker.waitFor(/Kept worker metrics on port (\d+)/);
      await worker.waitFor(/Kept worker pool-\S+ running/);
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^kept_job_queue_jobs \d+$/m);

      await eventually(() => waitingOnLock('%kept_expire_idempotency_keys%'), 15_000, 'the job waits on the lock');
      worker.child.kill('SIGTERM');
      await worker.waitFor(/SIGTERM: finishing running jobs/);
      expect(worker.child.exitCode).toBeNull();
      const [running] = await sql<{ locked_at: Date | null; attempts: number }>(db.ownerUrl, 'SELECT locked_at, attempts FROM graphile_worker._private_jobs WHERE id = $1', [jobId]);
      expect(running.locked_at).not.toBeNull();

      await lock.release();
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toMatch(/Kept worker: stopped\n/);
      // Completed (deleted from the queue), not failed and left for a retry.
      expect(await sql(db.ownerUrl, 'SELECT 1 FROM graphile_worker._private_jobs WHERE id = $1', [jobId])).toHaveLength(0);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  });
});
