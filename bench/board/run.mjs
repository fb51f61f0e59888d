#!/usr/bin/env node
// bench/board: the dispatcher's board at a real organization's size. 1,000,000 generated cases across
// 20 tenants (bench/lib/scale-data.mjs; the big tenant has 200,000 cases, 60,000 open; the medium one
// 40,000 with 2,000 open). Measures GET /api/v1/board through the real API, sequentially, against two
// baselines run in the same process on the same database, as the same runtime role in the same RLS
// transaction: the board's essential SQL (the 100 open cases whose promise falls due first) and
// `count(*)` of the open cases. Prints p50/p95 and the ratios, and the API's peak RSS.
//
// Usage: npm run bench:board [-- --cases 1000000 --n 20 --fresh]
import { arg, asTenant, build, getJson, log, login, percentiles, scaleDatabase, server, startApi, timeIt } from '../lib/harness.mjs';

const total = arg('--cases', 1_000_000);
const n = arg('--n', 20);
build();
const pgServer = await server();
const db = await scaleDatabase(pgServer.adminUrl, { total });
const api = await startApi(db.ownerUrl);
const results = [];
try {
  for (const slug of ['scale-big', 'scale-medium']) {
    const token = await login(api.url, `dispatcher@${slug}.kept.test`);
    const me = await getJson(`${api.url}/api/v1/auth/me`, token);
    const tenantId = me.tenantId ?? me.user?.tenantId ?? me.organization?.id;
    let items = 0;
    const board = await timeIt(async () => {
      const body = await getJson(`${api.url}/api/v1/board`, token);
      items = body.items.length;
    }, { n });
    const [essential, count] = await asTenant(db.appUrl, tenantId, async (sql) => [
      await timeIt(() => sql(`SELECT * FROM cases WHERE status IN ('open','paused','fixed') ORDER BY promised_at NULLS LAST, id LIMIT 100`), { n }),
      await timeIt(() => sql(`SELECT count(*) FROM cases WHERE status IN ('open','paused','fixed')`), { n }),
    ]);
    const b = percentiles(board);
    const e = percentiles(essential);
    const c = percentiles(count);
    results.push({ slug, items, board: b, essential: e, count: c });
    log(`${slug}: board p50=${b.p50} p95=${b.p95} ms (${items} items) | essential SQL p50=${e.p50} p95=${e.p95} | count(*) p50=${c.p50} ms`);
  }
} finally {
  const rss = api.peakRssMiB();
  await api.stop();
  await db.drop();
  await pgServer.stop();
  for (const r of results) {
    process.stdout.write(
      `board ${r.slug} p50_ms=${r.board.p50} p95_ms=${r.board.p95} items=${r.items} baseline_sql_p50_ms=${r.essential.p50} baseline_count_p50_ms=${r.count.p50} ratio_p50=${(r.board.p50 / r.essential.p50).toFixed(1)}\n`,
    );
  }
  process.stdout.write(`api peak_rss_mib=${rss}\n`);
}
