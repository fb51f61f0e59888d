import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { count, sql } from '../test/support/sql';
import { TENANT_FIRING_LOCK } from '../src/modules/alerts/worker/firing.repository';
import { alertIdsOf, call, caseIdsOf, openStream, type Answer, type Pin } from './support/clients';
import { launchChromium } from './support/browser';
import { REPO_ROOT, startCluster, type Cluster } from './support/cluster';
import { eventually } from './support/processes';

/**
 * Kept scaled out on this machine: Debian's nginx with docker/nginx.conf balancing two API processes
 * (dist/, WORKER=off), two job workers (`npm run worker`) and one PostgreSQL. Everything goes through
 * the balancer; a test header pins a client to API a or b where it matters. No timing is asserted:
 * every wait is for a condition, with a generous limit.
 */
describe('scale-out topology (nginx, 2 APIs, 2 workers, 1 PostgreSQL)', () => {
  let cluster: Cluster;
  let dispatcher: string;
  let manager: string;
  let customerId: string;

  const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, options: { pin?: Pin; token?: string; headers?: Record<string, string> } = {}) =>
    call<T>(cluster.url, method, path, { token: options.token ?? dispatcher, body, pin: options.pin, headers: options.headers });

  async function createCase(promisedInMs: number, pin?: Pin, summary = 'Topology test case'): Promise<{ id: string; version: number }> {
    const now = Date.now();
    const res = await api<{ id: string; version: number }>(
      'POST',
      '/cases',
      { customerId, category: 'topology', priority: 'normal', summary, openedAt: new Date(now - 60_000).toISOString(), promisedAt: new Date(now + promisedInMs).toISOString() },
      { pin },
    );
    expect(res.status).toBe(201);
    return res.body;
  }

  const alertsOf = (caseIds: string[]) =>
    sql<{ id: string; case_id: string; state: string }>(cluster.db.ownerUrl, `SELECT id, case_id, state FROM alerts WHERE case_id = ANY($1)`, [caseIds]);

  beforeAll(async () => {
    cluster = await startCluster({ apis: 2, workers: 2 });
    const login = async (email: string) => {
      const res = await call<{ accessToken: string }>(cluster.url, 'POST', '/auth/login', { body: { email, password: 'kept-demo' } });
      if (res.status !== 200) throw new Error(`log-in of ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken;
    };
    dispatcher = await login('dispatcher@demo.kept.test');
    manager = await login('manager@demo.kept.test');
    customerId = (await api<{ id: string }>('POST', '/customers', { name: 'Topology customer' })).body.id;
    // Only one policy: an in-app alert at the breach of the promise, in wall time, to the managers.
    const defaults = (await api<{ id: string; version: number }[]>('GET', '/alert-policies', undefined, { token: manager })).body;
    for (const p of defaults) {
      expect((await api('PATCH', `/alert-policies/${p.id}`, { active: false }, { token: manager, headers: { 'if-match': `W/"${p.version}"` } })).status).toBe(200);
    }
    const policy = await api(
      'POST',
      '/alert-policies',
      {
        name: 'Topology breach watch',
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
      },
      { token: manager },
    );
    expect(policy.status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('relays a case created through API a to a live stream held on API b (pg_notify fan-out)', async () => {
    const [a, b] = cluster.apis;
    const stream = await openStream(cluster.url, dispatcher, 'b');
    try {
      expect(stream.status).toBe(200);
      expect(stream.upstream).toBe(b.address);
      const created = await api<{ id: string }>('POST', '/cases', {
        customerId,
        category: 'topology',
        priority: 'normal',
        summary: 'Created on a, seen on b',
        promisedAt: new Date(Date.now() + 86_400_000).toISOString(),
      }, { pin: 'a' });
      expect(created.status).toBe(201);
      expect(created.upstream).toBe(a.address);
      await eventually(async () => caseIdsOf(stream.events).includes(created.body.id), 20_000, 'the case event on the stream held by API b');
    } finally {
      await stream.close();
    }
  });

  it('shows, in a real browser whose live stream is on API b, a case created through API a', async () => {
    const [a, b] = cluster.apis;
    const browser = await launchChromium();
    try {
      // Every request of the browser (pages, API calls, the EventSource) goes through nginx to API b.
      await browser.context.setExtraHTTPHeaders({ 'x-kept-upstream': 'b' });
      const page = await browser.context.newPage();
      // Records the case events the page's own EventSource receives.
      // (The function runs in the page: `globalThis` is its window.)
      await page.addInitScript(() => {
        type Source = { addEventListener(type: string, listener: (e: { data: string }) => void): void };
        const w = globalThis as unknown as { EventSource: new (url: string, init?: unknown) => Source; keptCaseEvents: string[] };
        const Original = w.EventSource;
        w.keptCaseEvents = [];
        w.EventSource = class extends Original {
          constructor(url: string, init?: unknown) {
            super(url, init);
            this.addEventListener('case', (e) => w.keptCaseEvents.push((JSON.parse(e.data) as { caseId: string }).caseId));
          }
        };
      });
      const streamOpened = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/events', { timeout: 60_000 });
      await page.goto(`${cluster.url}/login`);
      await page.getByLabel('Email').fill('dispatcher@demo.kept.test');
      await page.getByLabel('Password').fill('kept-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/board', { timeout: 60_000 });
      expect((await streamOpened).headers()['x-upstream']).toBe(b.address);
      await page.locator('.live-dot--live').waitFor({ timeout: 60_000 });

      // The board searches for a word no case has yet: it shows nothing, then the case arrives live.
      const word = `liveb${randomUUID().slice(0, 8)}`;
      const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/board' && new URL(r.url()).searchParams.get('q') === word, { timeout: 60_000 });
      await page.getByLabel('Search cases').fill(word);
      await searched;
      expect(await page.locator('[data-testid=board-row]', { hasText: word }).count()).toBe(0);
      const created = await api<{ id: string }>('POST', '/cases', {
        customerId,
        category: 'topology',
        priority: 'high',
        summary: `Chiller down ${word}`,
        promisedAt: new Date(Date.now() + 86_400_000).toISOString(),
      }, { pin: 'a' });
      expect(created.status).toBe(201);
      expect(created.upstream).toBe(a.address);
      await page.waitForFunction((id) => (globalThis as unknown as { keptCaseEvents: string[] }).keptCaseEvents.includes(id), created.body.id, { timeout: 30_000 });
      await page.locator('[data-testid=board-row]', { hasText: word }).waitFor({ timeout: 30_000 });
      mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: path.join(REPO_ROOT, 'test-output/topology-board-live-on-b.png') });
    } finally {
      await browser.close();
    }
  });

  it('streams live events through nginx unbuffered: they arrive while the stream is still open', async () => {
    const stream = await openStream(cluster.url, dispatcher);
    try {
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      const c = await createCase(86_400_000);
      const changed = await api<{ version: number }>('PATCH', `/cases/${c.id}`, { summary: 'Changed while streaming' }, { headers: { 'if-match': `W/"${c.version}"` } });
      expect(changed.status).toBe(200);
      await eventually(async () => caseIdsOf(stream.events).filter((id) => id === c.id).length >= 2, 20_000, 'both case events on the open stream');
      // Buffered by the proxy, they would only show up when the stream ends (never, for a live stream).
      expect(stream.ended()).toBe(false);
      // The API asks nginx not to buffer (X-Accel-Buffering: no), which only nginx understands: the shipped
      // configuration turns buffering off for the stream itself, as any other proxy must be told to.
      const events = /location \/api\/v1\/events \{([^}]*)\}/.exec(readFileSync(path.join(REPO_ROOT, 'docker/nginx.conf'), 'utf8'));
      expect(events?.[1]).toMatch(/^\s*proxy_buffering off;$/m);
    } finally {
      await stream.close();
    }
  });

  it('fires each alert exactly once with both workers running', async () => {
    expect(cluster.workers.every((w) => w.alive())).toBe(true);
    const stream = await openStream(cluster.url, manager);
    try {
      const cases: { id: string; version: number }[] = [];
      for (let i = 0; i < 16; i++) cases.push(await createCase(1500 + (i % 4) * 250, i % 2 ? 'a' : 'b'));
      const ids = cases.map((c) => c.id);
      const alerts = await eventually(
        async () => {
          const rows = await alertsOf(ids);
          return rows.length === ids.length && rows.every((r) => r.state === 'fired') && rows;
        },
        60_000,
        '16 alerts fired',
      );
      // No job of theirs is left to run again …
      await eventually(async () => (await count(cluster.db.ownerUrl, 'graphile_worker._private_jobs', `key = ANY($1)`, [alerts.map((a) => `alert:${a.id}`)])) === 0, 30_000, 'their jobs done');
      // … and notices arrive in commit order: once a later marker is on the stream, so is every firing.
      const marker = await createCase(86_400_000);
      await eventually(async () => caseIdsOf(stream.events).includes(marker.id), 20_000, 'the marker on the stream');
      const fired = alertIdsOf(stream.events).filter((id) => alerts.some((a) => a.id === id));
      expect(fired.sort()).toEqual(alerts.map((a) => a.id).sort());
      expect(await count(cluster.db.ownerUrl, 'alerts', `case_id = ANY($1)`, [ids])).toBe(ids.length);
    } finally {
      await stream.close();
    }
  });

  it('recovers the jobs of a worker SIGKILLed mid-burst of alerts within 30 s (heartbeat sweep)', async () => {
    const cases: { id: string; version: number }[] = [];
    for (let i = 0; i < 12; i++) cases.push(await createCase(600_000));
    const ids = cases.map((c) => c.id);
    // Firing is set-based (one job per tenant and due second) and one firing transaction of a tenant runs at a
    // time: holding the tenant's firing lock keeps the burst's job running (locked by its worker, waiting for the
    // lock) until the kill, instead of hoping to hit a job that takes milliseconds. The alerts fall due only once
    // the lock is held (their trigger queues the job of their due second).
    const [{ tenant_id: tenantId }] = await sql<{ tenant_id: string }>(cluster.db.ownerUrl, `SELECT tenant_id FROM cases WHERE id = $1`, [ids[0]]);
    const holder = new Client({ connectionString: cluster.db.ownerUrl });
    await holder.connect();
    let killed: { poolId: string; jobs: number } | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await holder.query(TENANT_FIRING_LOCK);
      await sql(cluster.db.ownerUrl, `UPDATE alerts SET due_at = now() WHERE case_id = ANY($1) AND state = 'pending'`, [ids]);
      expect(await alertsOf(ids)).toHaveLength(ids.length);
      const lockedBy = await eventually(
        async () => {
          const rows = await sql<{ locked_by: string; n: number }>(
            cluster.db.ownerUrl,
            `SELECT j.locked_by, count(*)::int AS n FROM graphile_worker._private_jobs j
               JOIN graphile_worker._private_tasks t ON t.id = j.task_id
              WHERE t.identifier = 'fire_due_alerts' AND j.locked_by IS NOT NULL
              GROUP BY j.locked_by ORDER BY n DESC`,
          );
          return rows.length > 0 && rows;
        },
        30_000,
        "the burst's firing job running",
      );
      const victim = cluster.workers.find((w) => w.poolId === lockedBy[0].locked_by)!;
      expect(victim).toBeDefined();
      killed = { poolId: victim.poolId, jobs: lockedBy[0].n };
      await victim.stop('SIGKILL');
      expect(killed.jobs).toBeGreaterThan(0);
    } finally {
      await holder.query('COMMIT').catch(() => undefined);
      await holder.end();
    }
    await eventually(
      async () => {
        const rows = await alertsOf(ids);
        return rows.length === ids.length && rows.every((r) => r.state === 'fired');
      },
      30_000,
      `the alerts of the killed worker ${killed.poolId} (${killed.jobs} jobs) fired by the other`,
    );
    // The survivor's sweep declared the killed pool dead.
    expect(await count(cluster.db.ownerUrl, 'worker_heartbeats', `pool_id = $1`, [killed.poolId])).toBe(0);
    expect(await count(cluster.db.ownerUrl, 'alerts', `case_id = ANY($1)`, [ids])).toBe(ids.length);
  });

  it('loses no acknowledged write when API a is SIGKILLed mid-burst, and the client keeps working through b', async () => {
    const [a, b] = cluster.apis;
    const cases: { id: string; version: number }[] = [];
    for (let i = 0; i < 12; i++) cases.push(await createCase(86_400_000));
    const stats = { retried: 0, answeredBy: new Map<string, number>() };
    const retryable = <T,>(r: Answer<T> | null) => r === null || r.status === 502 || r.status === 503 || r.status === 504;
    /** Sends until an answer comes that is not a lost connection; counts the lost ones. */
    const persist = async <T,>(send: () => Promise<Answer<T>>): Promise<Answer<T>> => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const r = await send().catch(() => null);
        if (!retryable(r)) return r!;
        stats.retried++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('no answer after 30 attempts');
    };
    const acknowledged = { updates: new Map<string, { summary: string; version: number }>(), creates: new Map<string, string>() };
    let ackCount = 0;
    let killedAfter: number | null = null;
    const killAt = 30;
    const note = <T,>(r: Answer<T>) => {
      stats.answeredBy.set(r.upstream, (stats.answeredBy.get(r.upstream) ?? 0) + 1);
      ackCount++;
      if (ackCount === killAt && killedAfter === null) {
        killedAfter = ackCount;
        void a.stop('SIGKILL');
      }
    };

    // Four clients, each updating its own cases round after round (If-Match) and creating cases with an
    // Idempotency-Key, all through the balancer (no pin: nginx spreads them over a and b).
    const client = async (k: number) => {
      const mine = cases.filter((_, i) => i % 4 === k).map((c) => ({ ...c }));
      for (let round = 1; round <= 6; round++) {
        for (const c of mine) {
          const summary = `burst ${k}.${round}`;
          const r = await persist(() => api<{ version: number; summary: string }>('PATCH', `/cases/${c.id}`, { summary }, { headers: { 'if-match': `W/"${c.version}"` } }));
          if (r.status === 412) {
            // A lost answer whose write had committed: the case is already at the next version.
            const now = await persist(() => api<{ version: number; summary: string }>('GET', `/cases/${c.id}`));
            expect(now.body.summary).toBe(summary);
            c.version = now.body.version;
            continue;
          }
          expect(r.status).toBe(200);
          c.version = r.body.version;
          acknowledged.updates.set(c.id, { summary, version: r.body.version });
          note(r);
        }
        const key = randomUUID();
        const body = { customerId, category: 'topology', priority: 'normal', summary: `burst create ${key}`, promisedAt: new Date(Date.now() + 86_400_000).toISOString() };
        const r = await persist(() => api<{ id: string }>('POST', '/cases', body, { headers: { 'idempotency-key': key } }));
        expect(r.status).toBe(201);
        acknowledged.creates.set(key, r.body.id);
        note(r);
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));

    expect(killedAfter).toBe(killAt);
    expect(a.alive()).toBe(false);
    // Every acknowledged update is in the database, at (at least) its acknowledged version.
    for (const [id, ack] of acknowledged.updates) {
      const [row] = await sql<{ summary: string; version: number }>(cluster.db.ownerUrl, `SELECT summary, version FROM cases WHERE id = $1`, [id]);
      expect({ id, summary: row.summary }).toEqual({ id, summary: ack.summary });
      expect(row.version).toBeGreaterThanOrEqual(ack.version);
    }
    // Every acknowledged create exists exactly once, retried or not.
    for (const [key, id] of acknowledged.creates) {
      const rows = await sql<{ id: string }>(cluster.db.ownerUrl, `SELECT id FROM cases WHERE summary = $1`, [`burst create ${key}`]);
      expect(rows.map((r) => r.id)).toEqual([id]);
    }
    expect(acknowledged.creates.size).toBe(24);
    // The balancer itself passes a request on: whenever it tries a again (after fail_timeout, in each of its
    // worker processes) it finds a refusing and answers from b — the answer names both upstreams.
    await eventually(
      async () => {
        const r = await api('GET', `/cases/${cases[0].id}`);
        return r.status === 200 && r.headers.get('x-upstream') === `${a.address}, ${b.address}`;
      },
      30_000,
      'a read that nginx passed on from the dead API a to b',
    );
    // After the kill the client kept working: b answered, and answers still come.
    expect(stats.answeredBy.get(b.address) ?? 0).toBeGreaterThan(0);
    const after = await api('GET', `/cases/${cases[0].id}`);
    expect(after.status).toBe(200);
    expect(after.upstream).toBe(b.address);
    process.stdout.write(`[topology] burst: ${ackCount} writes acknowledged, ${stats.retried} retried by the client; answered by ${JSON.stringify([...stats.answeredBy])}\n`);

    await cluster.restartApi(0);
  });
});
