#!/usr/bin/env node
// bench/board: the dispatcher's board at a real organization's size. 1,000,000 generated cases across
// 20 tenants (bench/lib/scale-data.mjs; the big tenant has 200,000 cases, 60,000 open; the medium one
// 40,000 with 2,000 open). Measures GET /api/v1/board (the first page, 100 most urgent cases, with exact
// counts per risk class) and its second page through the cursor, through the real API, sequentially,
// against two baselines run in the same process on the same database, as the same runtime role in the
// same RLS transaction: the board's essential SQL (the 100 open cases whose promise falls due first) and
// `count(*)` of the open cases. Prints p50/p95 and the ratios, the counts, and the API's peak RSS; saves
// EXPLAIN (ANALYZE, BUFFERS) of the board's page and counts queries on the big tenant to
// bench/board/explain.txt (with --explain).
//
// Usage: npm run bench:board [-- --cases 1000000 --n 20 --explain --fresh]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { arg, asTenant, build, getJson, log, login, percentiles, scaleDatabase, server, startApi, timeIt } from '../lib/harness.mjs';

const total = arg('--cases', 1_000_000);
const n = arg('--n', 20);
const explain = process.argv.includes('--explain');
build();
const pgServer = await server();
const db = await scaleDatabase(pgServer.adminUrl, { total });
// Steady state: what autovacuum does soon after a migration's backfill (the visibility map lets the
// board's partial covering index answer by index-only scans). Same database for the baselines.
{
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  const t0 = Date.now();
  await owner.query('VACUUM (ANALYZE) cases');
  await owner.end();
  log(`  VACUUM (ANALYZE) cases: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const api = await startApi(db.ownerUrl);
const results = [];

// The board's two statements as BoardRepository sends them without filters (kept in step by hand).
const OPEN = `c.status IN ('open','paused','fixed')`;
const RANK = `CASE
    WHEN c.promised_at <= coalesce(c.paused_since, $1::timestamptz) AND c.required_at <= coalesce(c.paused_since, $1::timestamptz) THEN 0
    WHEN least(c.promised_at, c.required_at) <= coalesce(c.paused_since, $1::timestamptz) THEN 1
    WHEN c.at_risk_at <= coalesce(c.paused_since, $1::timestamptz) THEN 2 WHEN c.status = 'fixed' THEN 4 ELSE 3 END`;
const PAGE_SQL = `SELECT b.id, b.rank, CASE WHEN b.deadline <> 'infinity' THEN (extract(epoch FROM b.deadline) * 1000000)::bigint::text END AS deadline
  FROM (SELECT c.id, coalesce(least(c.promised_at, c.required_at), 'infinity'::timestamptz) AS deadline, ${RANK} AS rank
          FROM cases c WHERE c.tenant_id = $2 AND ${OPEN}) b
 ORDER BY b.rank, b.deadline, b.id LIMIT 101`;
const COUNTS_SQL = `SELECT count(*) FILTER (WHERE rank <= 1)::int AS missed, count(*) FILTER (WHERE rank = 2)::int AS at_risk,
       count(*) FILTER (WHERE rank = 3)::int AS on_track, count(*) FILTER (WHERE rank = 4)::int AS fixed
  FROM (SELECT ${RANK} AS rank FROM cases c WHERE c.tenant_id = $2 AND ${OPEN}) b`;

try {
  for (const slug of ['scale-big', 'scale-medium']) {
    const token = await login(api.url, `dispatcher@${slug}.kept.test`);
    const me = await getJson(`${api.url}/api/v1/auth/me`, token);
    const tenantId = me.tenantId ?? me.user?.tenantId ?? me.organization?.id;
    let first = null;
    const board = await timeIt(async () => {
      first = await getJson(`${api.url}/api/v1/board`, token);
    }, { n });
    let second = null;
    const page2 = await timeIt(async () => {
      second = await getJson(`${api.url}/api/v1/board?cursor=${encodeURIComponent(first.nextCursor)}`, token);
    }, { n });
    const [essential, count] = await asTenant(db.appUrl, tenantId, async (sql) => [
      await timeIt(() => sql(`SELECT * FROM cases WHERE status IN ('open','paused','fixed') ORDER BY promised_at NULLS LAST, id LIMIT 100`), { n }),
      await timeIt(() => sql(`SELECT count(*) FROM cases WHERE status IN ('open','paused','fixed')`), { n }),
    ]);
    if (explain && slug === 'scale-big') {
      const plans = await asTenant(db.appUrl, tenantId, async (sql) => {
        const now = new Date();
        const plan = async (text) => (await sql(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, [now, tenantId])).map((r) => r['QUERY PLAN']).join('\n');
        await sql(PAGE_SQL, [now, tenantId]); // warm
        return { page: await plan(PAGE_SQL), counts: await plan(COUNTS_SQL) };
      });
      const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'explain.txt');
      writeFileSync(
        file,
        `# bench/board EXPLAIN (ANALYZE, BUFFERS), ${new Date().toISOString()}, tenant scale-big (${first.counts.total} open of 200,000), as the runtime role under RLS\n\n` +
          `## The page query (first page, no filters)\n${PAGE_SQL}\n\n${plans.page}\n\n## The counts query\n${COUNTS_SQL}\n\n${plans.counts}\n`,
      );
      log(`  EXPLAIN plans written to ${file}`);
    }
    const b = percentiles(board);
    const p2 = percentiles(page2);
    const e = percentiles(essential);
    const c = percentiles(count);
    // The order across the page boundary: page 2 starts where page 1 ended, with no repeat.
    const seen = new Set(first.items.map((i) => i.id));
    const overlap = second.items.filter((i) => seen.has(i.id)).length;
    results.push({ slug, items: first.items.length, items2: second.items.length, overlap, counts: first.counts, board: b, page2: p2, essential: e, count: c });
    log(
      `${slug}: board p50=${b.p50} p95=${b.p95} ms (${first.items.length} items) | page 2 p50=${p2.p50} p95=${p2.p95} ms (${second.items.length} items, ${overlap} repeated) | ` +
        `counts ${JSON.stringify(first.counts)} | essential SQL p50=${e.p50} p95=${e.p95} | count(*) p50=${c.p50} ms`,
    );
  }
} finally {
  const rss = api.peakRssMiB();
  await api.stop();
  await db.drop();
  await pgServer.stop();
  for (const r of results) {
    process.stdout.write(
      `board ${r.slug} p50_ms=${r.board.p50} p95_ms=${r.board.p95} items=${r.items} page2_p50_ms=${r.page2.p50} page2_p95_ms=${r.page2.p95} page2_items=${r.items2} page2_repeats=${r.overlap} ` +
        `missed=${r.counts.missed} at_risk=${r.counts.atRisk} on_track=${r.counts.onTrack} fixed=${r.counts.fixed} total=${r.counts.total} ` +
        `baseline_sql_p50_ms=${r.essential.p50} baseline_count_p50_ms=${r.count.p50} ratio_p50=${(r.board.p50 / r.essential.p50).toFixed(2)} ratio_p95=${(r.board.p95 / r.essential.p95).toFixed(2)} ratio_page2_p50=${(r.page2.p50 / r.essential.p50).toFixed(2)}\n`,
    );
  }
  process.stdout.write(`api peak_rss_mib=${rss}\n`);
}
