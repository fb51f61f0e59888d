import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config/config';
import { RunningWorker, startWorker } from '../src/create-worker';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { count, sql } from './support/sql';
import { eventually } from './support/wait';

/**
 * Secrets stay out of logs and tables: the request log at LOG_LEVEL=info redacts every token-bearing
 * field; a status link's token is never stored in idempotency_keys (a repeat answers 409, another user
 * gets 422); replays keep ETag and Location and ignore key order; keys expire after 24 h.
 */
describe('secrets in logs and the idempotency table', () => {
  let t: TestApp;
  const log: string[] = [];
  let dispatcher: string;
  let manager: string;
  let customerId: string;
  let caseId: string;

  const post = (path: string, who: string, key: string | undefined, body: unknown) => {
    const req = t.http().post(`/api/v1${path}`).set('Authorization', who);
    return (key ? req.set('Idempotency-Key', key) : req).send(body as object);
  };

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream });
    dispatcher = await t.login('dispatcher@demo.kept.test');
    manager = await t.login('manager@demo.kept.test');
    [{ id: customerId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM customers ORDER BY name LIMIT 1`);
    [{ id: caseId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM cases ORDER BY created_at LIMIT 1`);
  });
  afterAll(() => t?.close());

  it('logs requests at info without the JWT, API key, cookies or status-link tokens', async () => {
    const link = await post(`/cases/${caseId}/status-links`, dispatcher, undefined, {});
    expect(link.status).toBe(201);
    const token = (link.body.url as string).split('/s/')[1];
    const jwt = dispatcher.slice('Bearer '.length);
    await t.http().get(`/api/v1/public/status/${token}`);
    await t.http().get(`/api/v1/events?access_token=${jwt}&x=1`).timeout(300).catch(() => undefined);
    const listed = await t.http().get('/api/v1/cases?limit=1').set('Authorization', dispatcher).set('Cookie', 'kept_refresh=cookie-secret-123');
    expect(listed.headers['cache-control']).toBe('no-store');
    await t.http().get('/api/v1/auth/me').set('X-API-Key', 'kept_abcdefabcdef_api-key-secret-456');
    await eventually(async () => log.some((l) => l.includes('/auth/me')), 5000, 'request logged');

    const all = log.join('');
    // The log is meaningful: the requests are there …
    expect(all).toContain('/api/v1/public/status/[Redacted]');
    expect(all).toContain('access_token=[Redacted]');
    expect(all).toContain('/api/v1/cases?limit=1');
    // … and none of the secrets.
    for (const secret of [token, jwt, jwt.split('.')[2], 'cookie-secret-123', 'api-key-secret-456']) expect(all).not.toContain(secret);
  });

  it('never stores a status link token for idempotency; a repeat answers 409, another user 422', async () => {
    const key = randomUUID();
    const first = await post(`/cases/${caseId}/status-links`, dispatcher, key, { expiresInDays: 7 });
    expect(first.status).toBe(201);
    const token = (first.body.url as string).split('/s/')[1];
    expect(await count(t.db.ownerUrl, 'idempotency_keys', `response_body::text LIKE '%' || $1 || '%'`, [token])).toBe(0);
    const [row] = await sql<{ response_body: unknown }>(t.db.ownerUrl, `SELECT response_body FROM idempotency_keys WHERE key = $1`, [key]);
    expect(row.response_body).toEqual({ id: first.body.id, secretWithheld: true });

    const repeat = await post(`/cases/${caseId}/status-links`, dispatcher, key, { expiresInDays: 7 });
    expect(expectProblem(repeat, 409, 'CONFLICT').detail).toContain(first.body.id);
    expect(JSON.stringify(repeat.body)).not.toContain(token);
    // Another staff member with the same key is another request.
    expectProblem(await post(`/cases/${caseId}/status-links`, manager, key, { expiresInDays: 7 }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await count(t.db.ownerUrl, 'status_links', 'case_id = $1 AND created_at >= (SELECT created_at FROM idempotency_keys WHERE key = $2)', [caseId, key])).toBe(1);
  });

  it('replays a create with its ETag and Location, whatever the order of the body keys', async () => {
    const key = randomUUID();
    const body = { customerId, category: 'replay', priority: 'normal', summary: 'Replay me' };
    const first = await post('/cases', dispatcher, key, body);
    expect(first.status).toBe(201);
    // Both headers are there to keep (so the equalities below cannot hold by both being absent).
    expect(first.headers.etag).toMatch(/^W\/"\d+"$/);
    expect(first.headers.location).toBe(`/api/v1/cases/${first.body.id}`);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(body));
    const again = await post('/cases', dispatcher, key, reordered);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers.location).toBe(`/api/v1/cases/${first.body.id}`);
  });

  it('forgets keys after 24 hours, and the hourly job deletes them', async () => {
    const key = randomUUID();
    expect((await post('/customers', dispatcher, key, { name: 'First of the key' })).status).toBe(201);
    expectProblem(await post('/customers', dispatcher, key, { name: 'Second of the key' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    await sql(t.db.ownerUrl, `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
    const reused = await post('/customers', dispatcher, key, { name: 'Second of the key' });
    expect(reused.status).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();

    // The scheduled cleanup (the same task the worker's crontab runs hourly).
    await sql(t.db.ownerUrl, `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
    const fresh = await count(t.db.ownerUrl, 'idempotency_keys', `created_at > now() - interval '1 hour'`);
    expect(fresh).toBeGreaterThan(0);
    let worker: RunningWorker | undefined;
    try {
      worker = await startWorker(loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.ownerUrl, APP_DATABASE_URL: t.db.appUrl, LOG_LEVEL: 'silent', WORKER_POLL_INTERVAL_MS: '50' }));
      await sql(t.db.ownerUrl, `SELECT graphile_worker.add_job('expire_idempotency_keys', '{}'::json)`);
      await eventually(async () => (await count(t.db.ownerUrl, 'idempotency_keys', 'key = $1', [key])) === 0, 10_000, 'old key deleted');
    } finally {
      await worker?.stop();
    }
    expect(await count(t.db.ownerUrl, 'idempotency_keys', `created_at > now() - interval '1 hour'`)).toBe(fresh);
  });
});
