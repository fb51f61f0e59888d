import { Client } from "pg";
import {
  toBuckets,
  toCalibration,
} from "../src/modules/analytics/analytics.service";
import { createTestApp, TestApp } from "./support/app";
import { sql } from "./support/sql";

const EDGES = [-24, -8, -4, -2, -1, 0, 1, 2, 4, 8, 24];
const CASES = 600;
const FROM = "2026-01-01T00:00:00.000Z";
const TO = "2026-04-01T00:00:00.000Z";

/**
 * The summary's one-pass GROUPING SETS query against a straightforward recomputation: one plain query per
 * figure (the summary's former implementation), on generated history with every mix that matters —
 * with and without promise and need, kept and missed, assigned cases, unassigned ones whose engineer is
 * whoever recorded the latest fix (or nobody), teams on the case or only on that engineer, several
 * customers and categories, cases outside the range and cases of another status.
 */
describe("analytics summary: the one-pass query equals a straightforward recomputation", () => {
  let t: TestApp;
  let auth: string;
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestApp();
    auth = await t.login("manager@demo.kept.test");
    [{ id: tenantId }] = await sql<{ id: string }>(
      t.db.ownerUrl,
      `SELECT id FROM organizations WHERE slug = 'demo'`,
    );
    const owner = t.db.ownerUrl;
    await sql(
      owner,
      `INSERT INTO customers (tenant_id, name) SELECT $1, 'Gen customer ' || g FROM generate_series(1, 7) g`,
      [tenantId],
    );
    await sql(
      owner,
      `UPDATE users SET team = CASE WHEN role = 'engineer' THEN 'North' ELSE team END WHERE tenant_id = $1`,
      [tenantId],
    );
    // Deterministic pseudo-random mixes from the row number (no random(): the test is reproducible).
    await sql(
      owner,
      `WITH cu AS (SELECT array_agg(id ORDER BY name) AS ids FROM customers WHERE tenant_id = $1),
            us AS (SELECT array_agg(id ORDER BY name) AS ids FROM users WHERE tenant_id = $1),
            base AS (SELECT coalesce(max(number), 0) AS n FROM cases WHERE tenant_id = $1)
       INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, opened_at, satisfied_at, fixed_at,
                          promised_at, required_at, assignee_id, team)
       SELECT $1, base.n + g, cu.ids[1 + (g * 7) % array_length(cu.ids, 1)], 'Gen cat ' || (g % 4), 'normal', 'generated',
              CASE WHEN g % 29 = 0 THEN 'open' ELSE 'satisfied' END,
              o, CASE WHEN g % 29 = 0 THEN NULL ELSE s END, CASE WHEN g % 29 = 0 THEN NULL ELSE s END,
              CASE WHEN g % 5 = 0 THEN NULL ELSE s + ((g * 37) % 97 - 48) * interval '23 minutes' END,
              CASE WHEN g % 3 = 0 THEN NULL ELSE s + ((g * 53) % 89 - 60) * interval '31 minutes' END,
              CASE WHEN g % 4 = 0 THEN us.ids[1 + (g * 11) % array_length(us.ids, 1)] END,
              CASE WHEN g % 6 = 1 THEN 'South' END
         FROM generate_series(1, ${CASES}) g, cu, us, base,
              LATERAL (SELECT timestamptz '2025-12-20T00:00:00Z' + (g * 3.37) * interval '1 hour' AS o) oo,
              LATERAL (SELECT oo.o + ((g * 13) % 71) * interval '2 hours' AS s) ss`,
      [tenantId],
    );
    // Promise versions with keep-probabilities: version 1 for every promised case, version 2 for some —
    // inserted before the case moves to it for one half, after for the other (both trigger paths).
    await sql(
      owner,
      `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason, keep_probability)
       SELECT tenant_id, id, 1, promised_at, 'generated', ((number * 7919) % 1000) / 1000.0 FROM cases
        WHERE tenant_id = $1 AND summary = 'generated' AND promised_at IS NOT NULL`,
      [tenantId],
    );
    await sql(
      owner,
      `UPDATE cases SET promise_version = 1 WHERE tenant_id = $1 AND summary = 'generated' AND promised_at IS NOT NULL`,
      [tenantId],
    );
    const v2 = (first: "promise" | "case", parity: number) => {
      const [insert, move] = [
        `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason, keep_probability)
       SELECT tenant_id, id, 2, promised_at, 'again', ((number * 104729) % 1000) / 1000.0 FROM cases
        WHERE tenant_id = $1 AND summary = 'generated' AND promised_at IS NOT NULL AND number % 7 = ${parity}`,
        `UPDATE cases SET promise_version = 2 WHERE tenant_id = $1 AND summary = 'generated' AND promised_at IS NOT NULL AND number % 7 = ${parity}`,
      ];
      return first === "promise" ? [insert, move] : [move, insert];
    };
    for (const text of v2("promise", 1)) await sql(owner, text, [tenantId]);
    for (const text of v2("case", 2)) await sql(owner, text, [tenantId]);
    // The fixes of unassigned generated cases: some by a user (the engineer), some by nobody named.
    await sql(
      owner,
      `INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind, actor_id, actor_name)
       SELECT c.tenant_id, c.id, 'fixed', c.satisfied_at - interval '1 hour' * k, 'user',
              CASE WHEN c.number % 3 = 0 THEN NULL ELSE u.id END, CASE WHEN c.number % 3 = 0 THEN 'Outside contractor' ELSE u.name END
         FROM cases c
         CROSS JOIN generate_series(1, 2) k
         JOIN LATERAL (SELECT id, name FROM users WHERE tenant_id = c.tenant_id ORDER BY name OFFSET (c.number + k) % 3 LIMIT 1) u ON true
        WHERE c.tenant_id = $1 AND c.summary = 'generated' AND c.assignee_id IS NULL AND c.status = 'satisfied' AND c.number % 2 = 0`,
      [tenantId],
    );
  });
  afterAll(() => t.close());

  /** The former implementation: one query per figure, as the runtime role in a tenant transaction. */
  async function recompute(query: {
    from: string;
    to: string;
    category?: string;
    customerId?: string;
  }) {
    const client = new Client({ connectionString: t.db.appUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [
        tenantId,
      ]);
      const params: unknown[] = [query.from, query.to];
      let where = `c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2`;
      if (query.category)
        where += ` AND c.category = $${params.push(query.category)}`;
      if (query.customerId)
        where += ` AND c.customer_id = $${params.push(query.customerId)}`;
      const q = async (text: string, extra: unknown[] = []) =>
        (await client.query(text, [...params, ...extra])).rows;
      const counts = `count(*)::int AS closed,
              count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at <= c.promised_at)::int AS kept,
              count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at > c.promised_at)::int AS missed,
              count(*) FILTER (WHERE c.required_at IS NOT NULL AND c.satisfied_at <= c.required_at)::int AS need_met,
              count(*) FILTER (WHERE c.required_at IS NOT NULL AND c.satisfied_at > c.required_at)::int AS need_missed`;
      const [totals] = await q(`SELECT ${counts} FROM cases c WHERE ${where}`);
      const [{ open }] = (
        await client.query(
          `SELECT count(*)::int AS open FROM cases WHERE status IN ('open','paused','fixed')`,
        )
      ).rows;
      const weeks = await q(
        `SELECT to_char(date_trunc('week', c.satisfied_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
                count(*) FILTER (WHERE c.satisfied_at <= c.promised_at)::int AS kept,
                count(*) FILTER (WHERE c.satisfied_at > c.promised_at)::int AS missed
           FROM cases c WHERE ${where} AND c.promised_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      const histogram = (later: string, earlier: string) =>
        q(
          `SELECT width_bucket(extract(epoch FROM c.${later} - c.${earlier}) / 3600.0, $${params.length + 1}::float8[]) AS bucket, count(*)::int AS count
             FROM cases c WHERE ${where} AND c.${later} IS NOT NULL AND c.${earlier} IS NOT NULL GROUP BY 1`,
          [EDGES],
        );
      const engineerJoin = `LEFT JOIN users a ON a.id = c.assignee_id
          LEFT JOIN LATERAL (SELECT m.actor_id, m.actor_name FROM case_milestones m
                              WHERE m.case_id = c.id AND m.kind = 'fixed' ORDER BY m.at DESC LIMIT 1) f ON true`;
      const dims: Record<string, { key: string; label: string; join: string }> =
        {
          category: { key: "c.category", label: "c.category", join: "" },
          customer: {
            key: "cu.id::text",
            label: "cu.name",
            join: "JOIN customers cu ON cu.id = c.customer_id",
          },
          engineer: {
            key: `COALESCE(c.assignee_id::text, f.actor_id::text, 'unassigned')`,
            label: `COALESCE(a.name, f.actor_name, 'Unassigned')`,
            join: engineerJoin,
          },
          team: {
            key: `COALESCE(c.team, eu.team, 'none')`,
            label: `COALESCE(c.team, eu.team, 'No team')`,
            join: `${engineerJoin} LEFT JOIN users eu ON eu.id = COALESCE(c.assignee_id, f.actor_id)`,
          },
        };
      const breakdown = async (by: string) =>
        (
          await q(
            `SELECT ${dims[by].key} AS key, min(${dims[by].label}) AS label, ${counts},
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.satisfied_at - c.promised_at) / 3600.0)
                      FILTER (WHERE c.promised_at IS NOT NULL) AS median
               FROM cases c ${dims[by].join} WHERE ${where} GROUP BY 1 ORDER BY closed DESC, label, key`,
          )
        ).map((r) => ({
          key: r.key,
          label: r.label,
          closed: r.closed,
          kept: r.kept,
          missed: r.missed,
          keepRate: r.kept + r.missed > 0 ? r.kept / (r.kept + r.missed) : null,
          medianLateHours:
            r.median === null ? null : Math.round(Number(r.median) * 10) / 10,
          needMet: r.need_met,
          needMissed: r.need_missed,
        }));
      const rate = (k: number, m: number) => (k + m > 0 ? k / (k + m) : null);
      // Calibration as it was: the current version's keep-probability read through case_promises.
      const calParams: unknown[] = [
        query.from,
        query.to,
        new Date(),
        [0.5, 0.6, 0.7, 0.8, 0.9],
      ];
      let calWhere = `c.promised_at IS NOT NULL AND p.keep_probability IS NOT NULL AND (
          (c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2)
       OR (c.status IN ('open','paused','fixed') AND c.promised_at >= $1 AND c.promised_at < $2 AND c.promised_at < $3))`;
      if (query.category)
        calWhere += ` AND c.category = $${calParams.push(query.category)}`;
      if (query.customerId)
        calWhere += ` AND c.customer_id = $${calParams.push(query.customerId)}`;
      const calibration = (
        await client.query(
          `SELECT width_bucket(p.keep_probability, $4::float8[]) AS bucket, count(*)::int AS promises,
                  count(*) FILTER (WHERE c.status = 'satisfied' AND c.satisfied_at <= c.promised_at)::int AS kept,
                  avg(p.keep_probability) AS predicted
             FROM cases c JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
            WHERE ${calWhere} GROUP BY 1 ORDER BY 1`,
          calParams,
        )
      ).rows.map((r) => ({
        bucket: Number(r.bucket),
        promises: r.promises,
        kept: r.kept,
        predicted: Number(r.predicted),
      }));
      const result = {
        totals: {
          closed: totals.closed,
          kept: totals.kept,
          missed: totals.missed,
          keepRate: rate(totals.kept, totals.missed),
          needMet: totals.need_met,
          needMissed: totals.need_missed,
          open,
        },
        keepRateByWeek: weeks.map((w) => ({
          period: w.period,
          kept: w.kept,
          missed: w.missed,
          keepRate: rate(w.kept, w.missed),
        })),
        satisfiedMinusPromised: toBuckets(
          await histogram("satisfied_at", "promised_at"),
        ),
        promisedMinusRequired: toBuckets(
          await histogram("promised_at", "required_at"),
        ),
        byCategory: await breakdown("category"),
        byCustomer: await breakdown("customer"),
        byEngineer: await breakdown("engineer"),
        byTeam: await breakdown("team"),
        calibration: toCalibration(calibration),
      };
      await client.query("COMMIT");
      return result;
    } finally {
      await client.end();
    }
  }

  const summary = async (query: Record<string, string>) => {
    const res = await t
      .http()
      .get("/api/v1/analytics/summary")
      .query(query)
      .set("Authorization", auth);
    expect(res.status).toBe(200);
    return res.body;
  };

  it("proves the generated history holds every mix the comparison must cover", async () => {
    const expected = await recompute({ from: FROM, to: TO });
    expect(expected.totals.closed).toBeGreaterThan(300);
    expect(expected.totals.kept).toBeGreaterThan(0);
    expect(expected.totals.missed).toBeGreaterThan(0);
    expect(expected.totals.needMet).toBeGreaterThan(0);
    expect(expected.totals.needMissed).toBeGreaterThan(0);
    const engineers = expected.byEngineer.map((e) => e.key);
    expect(engineers).toContain("unassigned");
    expect(
      expected.byEngineer.some((e) => e.label === "Outside contractor"),
    ).toBe(true);
    expect(expected.byEngineer.length).toBeGreaterThan(3);
    expect(expected.byTeam.map((e) => e.key)).toEqual(
      expect.arrayContaining(["North", "South", "none"]),
    );
    expect(expected.byCustomer.length).toBeGreaterThan(5);
    expect(expected.keepRateByWeek.length).toBeGreaterThan(8);
    // Decided promises in several calibration bins, kept and missed, open ones among them.
    expect(
      expected.calibration.filter((b) => b.promises > 0).length,
    ).toBeGreaterThan(3);
    expect(
      expected.calibration.some((b) => b.kept > 0 && b.kept < b.promises),
    ).toBe(true);
    const [{ open }] = await sql<{ open: number }>(
      t.db.ownerUrl,
      `SELECT count(*)::int AS open FROM cases WHERE tenant_id = $1 AND summary = 'generated' AND status = 'open' AND promise_version > 0`,
      [tenantId],
    );
    expect(open).toBeGreaterThan(0);
  });

  it.each([
    ["the whole range", {}],
    ["one category", { category: "Gen cat 1" }],
    [
      "a range that cuts weeks in half",
      { from: "2026-01-15T12:00:00.000Z", to: "2026-02-18T06:00:00.000Z" },
    ],
    [
      "a period without closed cases",
      { from: "2020-01-01T00:00:00.000Z", to: "2020-02-01T00:00:00.000Z" },
    ],
  ])(
    "gives exactly the same figures for %s",
    async (_, over: Record<string, string>) => {
      const query = { from: FROM, to: TO, ...over };
      const got = await summary(query);
      const expected = await recompute(query);
      expect(got).toMatchObject(expected);
      // toMatchObject ignores extra array items: the lengths must match too.
      for (const k of [
        "keepRateByWeek",
        "byCategory",
        "byCustomer",
        "byEngineer",
        "byTeam",
        "calibration",
      ] as const)
        expect(got[k]).toHaveLength(expected[k].length);
    },
  );

  it("gives exactly the same figures for one customer", async () => {
    const [{ id }] = await sql<{ id: string }>(
      t.db.ownerUrl,
      `SELECT id FROM customers WHERE tenant_id = $1 AND name = 'Gen customer 3'`,
      [tenantId],
    );
    const query = { from: FROM, to: TO, customerId: id };
    const got = await summary(query);
    const expected = await recompute(query);
    expect(expected.totals.closed).toBeGreaterThan(0);
    expect(got).toMatchObject(expected);
    expect(got.byEngineer).toHaveLength(expected.byEngineer.length);
  });
});
