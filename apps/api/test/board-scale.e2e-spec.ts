import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { ForecastService } from '../src/modules/forecast/forecast.service';
import { forecastReady } from './support/forecast';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';

const BIG = 2000;
const SMALL = 3;

/**
 * The board for a tenant with thousands of open cases answers a page (100 by default) in one forecast
 * pass: one batched keep-probability call for the page's cases (never a recommendation per case), and a
 * number of SQL statements that does not grow with the number of cases.
 */
describe('board at scale', () => {
  let t: TestApp;
  let auth: string;

  /** Inserts `n` open cases of `category` (with promises, breakdowns and some milestones) as the owner. */
  async function insertOpenCases(category: string, n: number, firstNumber: number) {
    await sql(
      t.db.ownerUrl,
      `WITH src AS (
         SELECT c.tenant_id, c.customer_id, c.site_id, c.contract_id FROM cases c
          WHERE c.site_id IS NOT NULL AND c.contract_id IS NOT NULL ORDER BY c.number LIMIT 1),
       ins AS (
         INSERT INTO cases (tenant_id, number, customer_id, site_id, contract_id, category, priority, summary, status,
                            opened_at, required_at, promised_at, promise_version, assignee_id, team)
         SELECT src.tenant_id, $3::int + g, src.customer_id, src.site_id, CASE WHEN g % 2 = 0 THEN src.contract_id END, $1, 'normal',
                'Scale case ' || g, 'open', now() - (g % 48) * interval '1 hour', now() + (g % 30) * interval '1 hour',
                now() + (g % 72 - 6) * interval '1 hour', 1,
                (SELECT id FROM users WHERE role = 'engineer' LIMIT 1), 'Field team North'
           FROM src, generate_series(1, $2::int) g
         RETURNING id, tenant_id, promised_at, number)
       INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason, breakdown)
       SELECT tenant_id, id, 1, promised_at, 'First promise',
              jsonb_build_object('arrivalMinutes', 60, 'diagnosisMinutes', 30, 'fixMinutes', 60, 'testMinutes', 30)
         FROM ins`,
      [category, n, firstNumber],
    );
    await sql(
      t.db.ownerUrl,
      `INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind)
       SELECT tenant_id, id, 'arrived', opened_at + interval '10 minutes', 'user' FROM cases WHERE category = $1 AND number % 3 = 0`,
      [category],
    );
  }

  /** The board for a category, with the SQL statements and forecast calls it caused. */
  async function measure(category: string) {
    const statements = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const batched = jest.spyOn(ForecastService.prototype, 'keepProbabilities');
    const recommend = jest.spyOn(ForecastService.prototype, 'recommend');
    try {
      const res = await t.http().get(`/api/v1/board?category=${encodeURIComponent(category)}`).set('Authorization', auth);
      expect(res.status).toBe(200);
      return {
        items: res.body.items as { keepProbability: number | null; assignee: unknown; riskReasons: string[] }[],
        counts: res.body.counts as { total: number },
        statements: statements.mock.calls.length,
        batchedCalls: batched.mock.calls.map((call) => call[0].length),
        recommendCalls: recommend.mock.calls.length,
      };
    } finally {
      statements.mockRestore();
      batched.mockRestore();
      recommend.mockRestore();
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    auth = await t.login('dispatcher@demo.kept.test');
    await insertOpenCases('Scale big', BIG, 500_000);
    await insertOpenCases('Scale small', SMALL, 600_000);
    const [{ n }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM cases WHERE status = 'open'`);
    expect(n).toBeGreaterThanOrEqual(BIG);
    // Warm the caches both boards share (the tenant's forecast model, the step history per category).
    await forecastReady(t);
    await measure('Scale big');
    await measure('Scale small');
  }, 120_000);
  afterAll(() => t.close());

  it('answers with every case’s keep-probability from one batched forecast call and a constant number of statements', async () => {
    const small = await measure('Scale small');
    const big = await measure('Scale big');
    // The premise: the big board really holds many cases (a page shows 100), the small one few.
    expect(small.items).toHaveLength(SMALL);
    expect(big.items).toHaveLength(100);
    expect(big.counts.total).toBe(BIG);
    expect(big.items.every((i) => typeof i.keepProbability === 'number')).toBe(true);
    expect(big.items.every((i) => i.assignee !== null)).toBe(true);
    // One forecast pass per board, with all its cases; no recommendation per case.
    expect(small.batchedCalls).toEqual([SMALL]);
    expect(big.batchedCalls).toEqual([100]);
    expect(big.recommendCalls).toBe(0);
    // The same statements for 3 cases as for a page of 100 out of 2000.
    expect(small.statements).toBeGreaterThan(0);
    expect(big.statements).toBe(small.statements);
  });
});
