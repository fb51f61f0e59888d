import { Client } from 'pg';
import { type ExpectedStepMinutes, VISIT_STEPS } from '@kept/domain';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { seedDemo } from '../../database/demo-seed';
import { expectedStepMinutes } from './alert-planner';
import type { Sql } from './sql';

/** The median as percentile_cont(0.5) takes it. */
function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}

/**
 * expectedStepMinutes is the one reader of step history: the planner's medians, batched. The expected
 * figures are recomputed here in plain TypeScript from the raw milestones, per step over the cases that
 * reached both ends of it.
 */
describe('expectedStepMinutes', () => {
  let db: TestDatabase;
  let client: Client;
  let tenant: string;
  let categories: string[];
  let reference: Map<string | null, ExpectedStepMinutes>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.ownerUrl, { cases: 80 });
    client = new Client({ connectionString: db.ownerUrl });
    await client.connect();
    tenant = (await client.query(`SELECT id FROM organizations WHERE slug = 'demo'`)).rows[0].id;
    const rows = (
      await client.query(
        `SELECT c.id, c.category, c.opened_at, ms.kind, ms.at
           FROM cases c JOIN case_milestones ms ON ms.case_id = c.id
          WHERE c.tenant_id = $1 AND c.opened_at > now() - interval '365 days'`,
        [tenant],
      )
    ).rows as { id: string; category: string; opened_at: Date; kind: string; at: Date }[];
    const byCase = new Map<string, { category: string; openedAt: Date; first: Map<string, number> }>();
    for (const r of rows) {
      const c = byCase.get(r.id) ?? { category: r.category, openedAt: r.opened_at, first: new Map() };
      const seen = c.first.get(r.kind);
      if (seen === undefined || r.at.getTime() < seen) c.first.set(r.kind, r.at.getTime());
      byCase.set(r.id, c);
    }
    const medians = (cases: { openedAt: Date; first: Map<string, number> }[]): ExpectedStepMinutes => {
      const out: ExpectedStepMinutes = {};
      VISIT_STEPS.forEach((s, k) => {
        const values: number[] = [];
        for (const c of cases) {
          const from = k === 0 ? c.openedAt.getTime() : c.first.get(VISIT_STEPS[k - 1].milestone);
          const to = c.first.get(s.milestone);
          if (from !== undefined && to !== undefined) values.push((to - from) / 60_000);
        }
        const m = median(values);
        if (m !== undefined && m >= 0) out[s.step] = m;
      });
      return out;
    };
    const all = [...byCase.values()];
    categories = [...new Set(all.map((c) => c.category))].sort();
    reference = new Map<string | null, ExpectedStepMinutes>([[null, medians(all)]]);
    for (const category of categories) reference.set(category, medians(all.filter((c) => c.category === category)));
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const close = (actual: ExpectedStepMinutes | undefined, expected: ExpectedStepMinutes | undefined) => {
    expect(Object.keys(actual ?? {}).sort()).toEqual(Object.keys(expected ?? {}).sort());
    for (const [step, minutes] of Object.entries(expected ?? {})) {
      expect((actual as Record<string, number>)[step]).toBeCloseTo(minutes, 6);
    }
  };

  it('the seed has history in several categories, with complete cases (so the checks below mean something)', () => {
    expect(categories.length).toBeGreaterThan(1);
    expect(Object.keys(reference.get(null) ?? {})).toEqual(['arrival', 'diagnosis', 'fix', 'test']);
  });

  it('answers every category asked for, and every category at once for null, in one query; then from the cache', async () => {
    const base: Sql = async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[];
    let queries = 0;
    const counting: Sql = (text, params) => {
      queries += 1;
      return base(text, params);
    };
    const asked = [...categories, null, 'no-such-category'];
    const result = await expectedStepMinutes(counting, tenant, asked);
    expect(queries).toBe(1);
    for (const category of [...categories, null]) close(result.get(category), reference.get(category));
    expect(result.get('no-such-category')).toEqual({});

    const again = await expectedStepMinutes(counting, tenant, [categories[0], null]);
    expect(queries).toBe(1);
    close(again.get(categories[0]), reference.get(categories[0]));
  });
});
