import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { migrate } from '../src/common/database/data-source';
import { AppConfig, loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { RunningWorker, startWorker } from '../src/create-worker';
import { seedDemo } from '../src/database/demo-seed';
import { Metrics } from '../src/modules/metrics';
import { ownPostgres, OwnPostgres } from './support/embedded-postgres';
import { sql } from './support/sql';
import { eventually } from './support/wait';

/**
 * PostgreSQL restarts under load (issue 17): the test's OWN embedded PostgreSQL (never the shared one)
 * is stopped (fast shutdown: every session ends with 57P01) and started again while requests keep
 * coming. During the outage every request is answered at once with 503 problem+json and Retry-After —
 * never a 500, never a hang — and readiness says not ready while liveness stays up; afterwards the API
 * and both workers are back without a restart of theirs, and the alerts that fell due during the outage
 * fire exactly once.
 */
describe('PostgreSQL restart', () => {
  jest.setTimeout(180_000);
  let pg: OwnPostgres;
  let app: INestApplication;
  let base: string;
  let ownerUrl: string;
  const workers: RunningWorker[] = [];
  let auth: { dispatcher: string; manager: string };
  let customerId: string;
  /** Ends the background load even when the test fails half-way. */
  let stopLoad = false;

  /** Every request is bounded: a hang fails the test instead of stalling it. */
  const call = (method: string, path: string, who?: keyof typeof auth, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { ...(who ? { Authorization: auth[who] } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });

  beforeAll(async () => {
    pg = await ownPostgres();
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE kept');
    await admin.end();
    const u = new URL(pg.url);
    u.pathname = '/kept';
    ownerUrl = u.toString();
    await migrate(ownerUrl, 'kept_app');
    await seedDemo(ownerUrl, { cases: 5 });

    const config: AppConfig = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: ownerUrl,
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent',
      DATABASE_POOL_SIZE: '5',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      WORKER: 'off',
      WORKER_CONCURRENCY: '2',
      WORKER_POLL_INTERVAL_MS: '50',
      WORKER_HEARTBEAT_MS: '200',
      WORKER_STALE_AFTER_MS: '5000',
    });
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;

    const login = async (email: string) => {
      const res = await call('POST', '/api/v1/auth/login', undefined, { email, password: 'kept-demo' });
      expect(res.status).toBe(200);
      return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
    };
    auth = { dispatcher: await login('dispatcher@demo.kept.test'), manager: await login('manager@demo.kept.test') };
    customerId = ((await (await call('POST', '/api/v1/customers', 'dispatcher', { name: 'Restart test customer' })).json()) as { id: string }).id;
    // Only the test's own policy fires: a breach alert on the promise, in wall time, in-app.
    const defaults = (await (await call('GET', '/api/v1/alert-policies', 'manager')).json()) as { id: string; version: number }[];
    for (const p of defaults) {
      const res = await fetch(`${base}/api/v1/alert-policies/${p.id}`, {
        method: 'PATCH',
        headers: { Authorization: auth.manager, 'Content-Type': 'application/json', 'If-Match': `W/"${p.version}"` },
        body: JSON.stringify({ active: false }),
      });
      expect(res.status).toBe(200);
    }
    const policy = await call('POST', '/api/v1/alert-policies', 'manager', {
      name: 'Restart breach watch',
      target: 'promised',
      basis: 'wall',
      fractions: [],
      leadMinutes: [],
      atBreach: true,
      repeatEveryMinutes: null,
      escalateAfterMinutes: null,
      atRisk: false,
      channels: ['in_app'],
      recipientRoles: ['manager'],
      active: true,
    });
    expect(policy.status).toBe(201);
    // Two workers, as in production: they must neither lose nor double an alert across the restart.
    workers.push(await startWorker(config), await startWorker(config));
  });

  afterAll(async () => {
    stopLoad = true;
    for (const w of workers) await w.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await pg?.destroy();
  });

  it('answers 503 with Retry-After while the database is down, reconnects by itself, and fires each alert exactly once', async () => {
    // Load during the whole test: sequential reads, each bounded.
    const statuses: { status: number; retryAfter: string | null; type: string | null; code?: string }[] = [];
    let loading = true;
    const load = (async () => {
      while (loading && !stopLoad) {
        const res = await call('GET', '/api/v1/cases?limit=5', 'dispatcher');
        const body = (await res.json().catch(() => ({}))) as { code?: string };
        statuses.push({ status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), code: body.code });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // Cases whose breach alert falls due while the database is down.
    const promisedAt = new Date(Date.now() + 1500);
    const caseIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', '/api/v1/cases', 'dispatcher', {
        customerId,
        category: 'restart-test',
        priority: 'normal',
        summary: `Restart case ${i}`,
        openedAt: new Date(Date.now() - 60_000).toISOString(),
        promisedAt: promisedAt.toISOString(),
      });
      expect(res.status).toBe(201);
      caseIds.push(((await res.json()) as { id: string }).id);
    }
    expect((await call('GET', '/api/v1/health/ready')).status).toBe(200);
    // Until the server stops, the test holds the alerts' rows: a worker that tries to fire one early waits
    // on the lock and is cut off by the shutdown (rolled back). So every firing happens after the restart,
    // and none is caught half-committed by it (which would make the counts below ambiguous).
    const holder = new Client({ connectionString: ownerUrl });
    holder.on('error', () => undefined); // the shutdown ends this session
    await holder.connect();
    await holder.query('BEGIN');
    expect((await holder.query('SELECT id FROM alerts WHERE case_id = ANY($1::uuid[]) FOR UPDATE', [caseIds])).rowCount).toBe(caseIds.length);
    expect((await holder.query(`SELECT 1 FROM alerts WHERE case_id = ANY($1::uuid[]) AND state = 'pending'`, [caseIds])).rowCount).toBe(caseIds.length);

    await pg.stop();
    await holder.end().catch(() => undefined);
    const down = await call('GET', '/api/v1/cases?limit=5', 'dispatcher');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await down.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', title: expect.any(String), instance: '/api/v1/cases?limit=5' });
    const write = await call('POST', '/api/v1/cases', 'dispatcher', {
      customerId,
      category: 'restart-test',
      priority: 'normal',
      summary: 'Written during the outage',
      openedAt: new Date().toISOString(),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    const notReady = await call('GET', '/api/v1/health/ready');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    expect((await call('GET', '/api/v1/health/live')).status).toBe(200);

    // The alerts fall due while the server is down; then it comes back.
    await eventually(async () => Date.now() > promisedAt.getTime() + 500, 10_000, 'the due time passed');
    await pg.start();

    await eventually(async () => (await call('GET', '/api/v1/health/ready')).status === 200, 60_000, 'ready again');
    expect((await call('GET', '/api/v1/cases?limit=5', 'dispatcher')).status).toBe(200);
    const after = await call('POST', '/api/v1/cases', 'dispatcher', {
      customerId,
      category: 'restart-test',
      priority: 'normal',
      summary: 'Written after the restart',
      openedAt: new Date().toISOString(),
    });
    expect(after.status).toBe(201);
    // Nothing written during the outage exists (its 503 was honest).
    expect(await sql(ownerUrl, `SELECT 1 FROM cases WHERE summary = 'Written during the outage'`)).toHaveLength(0);

    // The workers reconnected by themselves: every alert that fell due in the outage fires, once.
    const fired = () =>
      sql<{ case_id: string; state: string; fired_at: Date | null }>(ownerUrl, `SELECT case_id, state, fired_at FROM alerts WHERE case_id = ANY($1::uuid[])`, [caseIds]);
    await eventually(async () => (await fired()).filter((a) => a.state === 'fired').length === caseIds.length, 60_000, 'the alerts fired');
    // No job for them is left to run (so the counts below are final).
    await eventually(
      async () =>
        (
          await sql(
            ownerUrl,
            `SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
              WHERE t.identifier = 'fire_alert' AND j.payload->>'alertId' IN (SELECT id::text FROM alerts WHERE case_id = ANY($1::uuid[]))`,
            [caseIds],
          )
        ).length === 0,
      30_000,
      'the fire jobs done',
    );
    const rows = await fired();
    expect(rows).toHaveLength(caseIds.length);
    expect(new Set(rows.map((r) => r.case_id))).toEqual(new Set(caseIds));
    for (const r of rows) expect(r.fired_at!.getTime()).toBeGreaterThan(promisedAt.getTime());
    // Each firing ran once across both workers (the counter counts committed firings).
    const firings = await Promise.all(workers.map(async (w) => (await w.app.get(Metrics).alertsFired.get()).values.reduce((n, v) => n + v.value, 0)));
    expect(firings.reduce((a, b) => a + b, 0)).toBe(caseIds.length);

    loading = false;
    await load;
    // Under load: only 200 or 503 (problem+json with Retry-After), never a 500, and both were seen.
    expect(statuses.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);
    for (const s of statuses.filter((x) => x.status === 503)) {
      expect(s).toMatchObject({ retryAfter: '5', code: 'SERVICE_UNAVAILABLE', type: expect.stringMatching(/^application\/problem\+json/) });
    }
    expect(statuses.some((s) => s.status === 503)).toBe(true);
    expect(statuses[statuses.length - 1].status).toBe(200);
  });
});
