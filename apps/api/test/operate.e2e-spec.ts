import { Readiness } from '../src/modules/health';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';
import { eventually } from './support/wait';

const METRICS_TOKEN = 'metrics-token-for-the-e2e-test';

/** The probes and the metrics endpoint (docs/operations.md): what orchestrators and Prometheus read. */
describe('operate: probes and metrics', () => {
  let t: TestApp;
  let auth: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN } });
    auth = await t.login('dispatcher@demo.kept.test');
  });
  afterAll(() => t.close());

  it('/health/live answers without asking the database; /health/ready and /health check database, queue and migrations', async () => {
    const live = await t.http().get('/api/v1/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok', info: {} });

    for (const path of ['/api/v1/health/ready', '/api/v1/health']) {
      const ready = await t.http().get(path);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { accepting: { status: 'up' }, database: { status: 'up' }, queue: { status: 'up' }, migrations: { status: 'up' } },
      });
    }
  });

  it('is not ready while a migration of this build is missing from the database', async () => {
    const [last] = await sql<{ id: number; timestamp: string; name: string }>(t.db.ownerUrl, 'SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
    await sql(t.db.ownerUrl, 'DELETE FROM migrations WHERE id = $1', [last.id]);
    try {
      const ready = await t.http().get('/api/v1/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body).toMatchObject({ status: 'error', error: { migrations: { status: 'down', pending: [last.name] } } });
      // Liveness does not care: restarting the process would not migrate the database.
      expect((await t.http().get('/api/v1/health/live')).status).toBe(200);
    } finally {
      await sql(t.db.ownerUrl, 'INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [last.id, last.timestamp, last.name]);
    }
    expect((await t.http().get('/api/v1/health/ready')).status).toBe(200);
  });

  it('/metrics needs the bearer token and carries no tenant data', async () => {
    const none = await t.http().get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', instance: '/metrics' });
    const wrong = await t.http().get('/metrics').set('Authorization', 'Bearer metrics-token-for-the-e2e-tesX');
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toMatch(/kept_http/);

    const cases = await t.http().get('/api/v1/cases?limit=3').set('Authorization', auth);
    expect(cases.status).toBe(200);
    const one = cases.body.items[0] as { id: string };
    expect((await t.http().get(`/api/v1/cases/${one.id}`).set('Authorization', auth)).status).toBe(200);

    const res = await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = res.text;
    // Request latency by route template: the case's id is not in the label, its template is.
    expect(text).toMatch(/kept_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases",status="200"\} 1\b/);
    expect(text).toMatch(/kept_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases\/:id",status="200"\} 1\b/);
    // The queue gauges come from the database at scrape time.
    expect(text).toMatch(/^kept_job_queue_jobs \d+$/m);
    expect(text).toMatch(/^kept_job_queue_due_jobs \d+$/m);
    expect(text).toMatch(/^kept_job_queue_oldest_due_age_seconds [\d.e+-]+$/m);
    expect(text).toMatch(/^kept_metrics_queue_scrape_errors_total 0$/m);
    for (const name of ['kept_alerts_fired_total', 'kept_alert_lateness_seconds', 'kept_deliveries_total', 'kept_forecast_model_build_seconds', 'kept_process_cpu_seconds_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    // No tenant, case or user id anywhere in the text.
    const [tenant] = await sql<{ id: string }>(t.db.ownerUrl, 'SELECT id FROM organizations LIMIT 1');
    expect(text).not.toContain(tenant.id);
    expect(text).not.toContain(one.id);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('times the forecast model build', async () => {
    const scrape = async () => (await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text;
    expect(await scrape()).not.toMatch(/kept_forecast_model_build_seconds_count\{outcome="ok"\}/);
    // The tenant's first recommendation starts its model build in the background.
    const res = await t.http().post('/api/v1/recommendations').set('Authorization', auth).send({
      category: 'Instrument down',
      openedAt: new Date().toISOString(),
      promisedAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
    });
    expect(res.status).toBe(200);
    await eventually(async () => /kept_forecast_model_build_seconds_count\{outcome="ok"\} 1\b/.test(await scrape()), 60_000, 'the build timed');
  });

  it('a draining process (SIGTERM received) answers not-ready while it still serves requests', async () => {
    t.app.get(Readiness).startDraining();
    const ready = await t.http().get('/api/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { accepting: { status: 'down', message: 'shutting down' } }, info: { database: { status: 'up' } } });
    expect((await t.http().get('/api/v1/health/live')).status).toBe(200);
    expect((await t.http().get('/api/v1/cases?limit=1').set('Authorization', auth)).status).toBe(200);
  });
});

describe('operate: /metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: false });
  });
  afterAll(() => t.close());

  it('does not exist on the public port (scrape METRICS_PORT instead)', async () => {
    const res = await t.http().get('/metrics').set('Authorization', 'Bearer anything-at-all-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
