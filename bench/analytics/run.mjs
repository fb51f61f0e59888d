#!/usr/bin/env node
// bench/analytics: GET /api/v1/analytics/summary (kept-rate, gap distributions, breakdowns by category,
// customer, engineer and team, calibration) at a real organization's size: 1,000,000 generated cases
// across 20 tenants (bench/lib/scale-data.mjs). Baseline in the same run, same role and RLS
// transaction: one aggregate over the same 90 days of closed cases (count and kept count).
//
// Usage: npm run bench:analytics [-- --cases 1000000 --n 10 --fresh]
import { arg, asTenant, build, getJson, log, login, percentiles, scaleDatabase, server, startApi, timeIt } from '../lib/harness.mjs';

const total = arg('--cases', 1_000_000);
const n = arg('--n', 10);
build();
const pgServer = await server();
const db = await scaleDatabase(pgServer.adminUrl, { total });
const api = await startApi(db.ownerUrl);
const results = [];
try {
  for (const slug of ['scale-big', 'scale-medium']) {
    const token = await login(api.url, `manager@${slug}.kept.test`);
    const me = await getJson(`${api.url}/api/v1/auth/me`, token);
    const tenantId = me.tenantId ?? me.user?.tenantId;
    const summary = await timeIt(() => getJson(`${api.url}/api/v1/analytics/summary`, token), { n, warmup: 1 });
    const baseline = await asTenant(db.appUrl, tenantId, (sql) =>
      timeIt(
        () =>
          sql(`SELECT count(*), count(*) FILTER (WHERE satisfied_at <= promised_at) FROM cases
                WHERE status = 'satisfied' AND satisfied_at >= now() - interval '90 days'`),
        { n, warmup: 1 },
      ),
    );
    const s = percentiles(summary);
    const b = percentiles(baseline);
    results.push({ slug, s, b });
    log(`${slug}: summary p50=${s.p50} p95=${s.p95} ms | baseline aggregate p50=${b.p50} p95=${b.p95} ms`);
    // The generated history of a tenant may end before today (the big tenant's closes end months ago, so
    // its default 90 days hold no closed case): also the 90 days that end at its last close.
    const [{ last }] = await asTenant(db.appUrl, tenantId, (sql) => sql(`SELECT max(satisfied_at) AS last FROM cases WHERE status = 'satisfied'`));
    if (last) {
      const to = new Date(new Date(last).getTime() + 1000);
      const from = new Date(to.getTime() - 90 * 86_400_000);
      const qs = `?from=${from.toISOString()}&to=${to.toISOString()}`;
      const hs = percentiles(await timeIt(() => getJson(`${api.url}/api/v1/analytics/summary${qs}`, token), { n, warmup: 1 }));
      const hb = percentiles(
        await asTenant(db.appUrl, tenantId, (sql) =>
          timeIt(
            () =>
              sql(
                `SELECT count(*), count(*) FILTER (WHERE satisfied_at <= promised_at) FROM cases
                  WHERE status = 'satisfied' AND satisfied_at >= $1 AND satisfied_at < $2`,
                [from, to],
              ),
            { n, warmup: 1 },
          ),
        ),
      );
      const [{ closed }] = await asTenant(db.appUrl, tenantId, (sql) =>
        sql(`SELECT count(*)::int AS closed FROM cases WHERE status = 'satisfied' AND satisfied_at >= $1 AND satisfied_at < $2`, [from, to]),
      );
      results.push({ slug: `${slug}-last-90-days-of-history(${closed}-closed)`, s: hs, b: hb });
      log(`${slug} last 90 days of history (${closed} closed): summary p50=${hs.p50} p95=${hs.p95} ms | baseline aggregate p50=${hb.p50} p95=${hb.p95} ms`);
    }
  }
} finally {
  const rss = api.peakRssMiB();
  await api.stop();
  await db.drop();
  await pgServer.stop();
  for (const r of results) {
    process.stdout.write(`analytics ${r.slug} p50_ms=${r.s.p50} p95_ms=${r.s.p95} baseline_p50_ms=${r.b.p50} ratio_p50=${(r.s.p50 / r.b.p50).toFixed(1)} target_p95_ms=300 ${r.s.p95 < 300 ? 'MET' : 'MISSED'}\n`);
  }
  process.stdout.write(`api peak_rss_mib=${rss}\n`);
}
