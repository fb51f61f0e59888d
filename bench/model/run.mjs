#!/usr/bin/env node
// bench/model: the forecast model of a big tenant (200,000 cases) builds off the request path. Starts the
// real API on the generated scale data (bench/lib/scale-data.mjs), probes GET /health every 10 ms while
// idle (the baseline, same run), then asks for a recommendation right away (it starts the build) and keeps
// probing /health and asking again every 250 ms until the answer comes from the model.
// Prints the time to the first model, the recommendation's latency while the model builds, /health
// p50/p99/max during the build against idle (target: max stall < 50 ms) and the API's peak RSS.
//
// Usage: npm run bench:model [-- --cases 1000000 --idle-ms 3000]
import pg from 'pg';
import { arg, build, log, login, percentiles, scaleDatabase, server, startApi } from '../lib/harness.mjs';

const total = arg('--cases', 1_000_000);
const idleMs = arg('--idle-ms', 3000);
const slug = arg('--tenant', 'scale-big');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

build();
const pgServer = await server();
const db = await scaleDatabase(pgServer.adminUrl, { total });
const owner = new pg.Client({ connectionString: db.ownerUrl });
await owner.connect();
const {
  rows: [{ category, cases }],
} = await owner.query(
  `SELECT (SELECT category FROM cases WHERE tenant_id = o.id GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS category,
          (SELECT count(*)::int FROM cases WHERE tenant_id = o.id) AS cases
     FROM organizations o WHERE o.slug = $1`,
  [slug],
);
await owner.end();
const api = await startApi(db.ownerUrl);
let out = [];
try {
  const token = await login(api.url, `dispatcher@${slug}.kept.test`);
  const health = async () => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${api.url}/api/v1/health`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`/health: ${res.status}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  /** Probes /health every 10 ms (a probe starts 10 ms after the previous one started, or at once if late). */
  const probe = async (until) => {
    const ms = [];
    while (!until()) {
      const started = Date.now();
      ms.push(await health());
      await sleep(Math.max(0, 10 - (Date.now() - started)));
    }
    return ms;
  };
  const recommend = async () => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${api.url}/api/v1/recommendations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category, priority: 'normal' }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`/recommendations: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, body };
  };

  for (let i = 0; i < 20; i++) await health(); // warm-up
  const idleUntil = Date.now() + idleMs;
  const idle = percentiles(await probe(() => Date.now() >= idleUntil));
  log(`${slug} (${cases.toLocaleString('en')} cases), category ${category}: /health idle p50=${idle.p50} p99=${idle.p99} max=${idle.max} ms (n=${idle.n})`);

  const t0 = Date.now();
  let ready = false;
  let modelMs = null;
  const recMs = [];
  let modelCases = null;
  const asking = (async () => {
    while (!ready) {
      const r = await recommend();
      // A server from before the off-request build has no modelStatus: its first answer waited for the model.
      if (r.body.modelStatus === 'ready' || (r.body.modelStatus === undefined && r.body.basis)) {
        ready = true;
        modelMs = Date.now() - t0;
        modelCases = r.body.basis?.modelCases ?? null;
        if (r.body.modelStatus === undefined) recMs.push(r.ms);
      } else recMs.push(r.ms);
      if (!ready) await sleep(250);
      if (Date.now() - t0 > 300_000) throw new Error('no model within 5 minutes');
    }
  })();
  const during = percentiles(await probe(() => ready));
  await asking;
  const rec = percentiles(recMs);
  log(`model ready after ${modelMs} ms (${modelCases} cases); recommendations while building p50=${rec.p50} max=${rec.max} ms (n=${rec.n})`);
  log(`/health during the build p50=${during.p50} p99=${during.p99} max=${during.max} ms (n=${during.n})`);
  out = [
    `model ${slug} time_to_model_ms=${modelMs} model_cases=${modelCases}`,
    `model ${slug} recommendation_while_building p50_ms=${rec.p50} max_ms=${rec.max} n=${rec.n}`,
    `model ${slug} health_idle p50_ms=${idle.p50} p99_ms=${idle.p99} max_ms=${idle.max} n=${idle.n}`,
    `model ${slug} health_building p50_ms=${during.p50} p99_ms=${during.p99} max_ms=${during.max} n=${during.n} ratio_p99=${(during.p99 / idle.p99).toFixed(1)} ratio_max=${(during.max / idle.max).toFixed(1)} target_max_ms=50 ${during.max < 50 ? 'MET' : 'MISSED'}`,
  ];
} finally {
  const rss = api.peakRssMiB();
  await api.stop();
  await db.drop();
  await pgServer.stop();
  for (const line of out) process.stdout.write(`${line}\n`);
  process.stdout.write(`api peak_rss_mib=${rss}\n`);
}
