import { createTestApp, TestApp } from './support/app';
import { forecastReady } from './support/forecast';
import { sql } from './support/sql';

/**
 * Issue 16 item 2 in the API: the tenant's model chooses its levels on the tenant's own history (forecast's
 * selectLevels, as `kept evaluate` does), among the built-in ones and the cases' extra segments, and a
 * recommendation request carries the segment values.
 */
describe('recommendations on the segment levels chosen from the tenant history', () => {
  let t: TestApp;
  let auth: string;
  const recommend = (body: object) => t.http().post('/api/v1/recommendations').set('Authorization', auth).send(body);
  const HOUR = 3_600_000;

  beforeAll(async () => {
    t = await createTestApp();
    auth = await t.login('dispatcher@demo.kept.test');
    // 900 closed cases of one category over the last ~40 days; the queue alone decides how long they take
    // (fast lane 1–3 h, slow lane 100–300 h), alternating so neither is more recent than the other.
    const [{ id: tenantId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM organizations WHERE slug = 'demo'`);
    const [{ id: customerId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM customers WHERE tenant_id = $1 LIMIT 1`, [tenantId]);
    const now = Date.now();
    await sql(
      t.db.ownerUrl,
      `INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, opened_at, fixed_at, satisfied_at, promise_version, segments)
       SELECT $1, 900000 + i, $2, 'Segmented', 'normal', 'planted', 'satisfied', o, o + d, o + d, 0,
              jsonb_build_object('queue', CASE WHEN i % 2 = 0 THEN 'fast lane' ELSE 'slow lane' END, 'noise', 'n' || (i * 7919 % 13))
         FROM generate_series(1, 900) AS i,
              LATERAL (SELECT to_timestamp(($3::bigint - (1000 - i)::bigint * 3600000) / 1000.0) AS o,
                              make_interval(hours => CASE WHEN i % 2 = 0 THEN 1 + (i * 37 % 3) ELSE 100 + (i * 37 % 201) END) AS d) x`,
      [tenantId, customerId, now - 200 * HOUR],
    );
  });
  afterAll(() => t.close());

  it('chooses the queue the cases carry and recommends per queue from the values the request carries', async () => {
    await forecastReady(t);
    const openedAt = new Date().toISOString();
    const slow = await recommend({ category: 'Segmented', openedAt, segments: { queue: 'slow lane' } });
    const fast = await recommend({ category: 'Segmented', openedAt, segments: { queue: 'fast lane' } });
    expect(slow.status).toBe(200);
    expect(fast.status).toBe(200);
    expect(slow.body.basis.segment).toMatchObject({ queue: 'slow lane' });
    expect(fast.body.basis.segment).toMatchObject({ queue: 'fast lane' });
    expect(slow.body.basis.segment).not.toHaveProperty('noise');
    // 90 % of the slow lane is done within ~280 h, of the fast lane within 3 h.
    expect(slow.body.recommended.durationMinutes).toBeGreaterThan(50 * 60);
    expect(fast.body.recommended.durationMinutes).toBeLessThan(10 * 60);
  });

  it('refuses bad segment values with a problem', async () => {
    const res = await recommend({ category: 'Segmented', segments: { queue: '' } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
