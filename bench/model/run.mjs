#!/usr/bin/env node
// bench/model: the forecast model of a big tenant (200,000 cases) builds off the request path. Starts the
// real API on the generated scale data (bench/lib/scale-data.mjs), probes GET /health every 10 ms while
// idle (the baseline, same run), then asks for a recommendation right away (it starts the build) and keeps
// probing /health and asking again every 250 ms until the answer comes from the model.
// Prints the time to the first model, the recommendation's latency while the model builds, /health
// p50/p99/max during the build against idle (target: max stall < 50 ms) and the API's peak RSS.
// Inside the API (bench/lib/loop-lag.cjs) it records the event-loop delay (perf_hooks
// monitorEventLoopDelay) per 250 ms window, with the time the API thread waited for a core: it prints the
// largest delay while idle and while building, and for the worst window of the build how much of it was
// the scheduler (a busy machine) rather than the thread's own work.
//
// Usage: npm run bench:model [-- --cases 1000000 --idle-ms 3000 --cpu-prof DIR --no-build]
// (--cpu-prof DIR profiles the API; `node bench/model/stalls.mjs FILE` then lists its longest busy stretches.)
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { arg, build, flag, log, login, percentiles, scaleDatabase, server, startApi } from '../lib/harness.mjs';

const total = arg('--cases', 1_000_000);
const idleMs = arg('--idle-ms', 3000);
const slug = arg('--tenant', 'scale-big');
const cpuProf = arg('--cpu-prof', null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const here = path.dirname(fileURLToPath(import.meta.url));
const lagFile = path.join(tmpdir(), `kept-loop-lag-${process.pid}.txt`);
const profileFile = cpuProf ? path.resolve(cpuProf, `api-model-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`) : null;
if (cpuProf) mkdirSync(cpuProf, { recursive: true });

if (!flag('--no-build')) build();
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
const preload = [path.join(here, '../lib/loop-lag.cjs'), ...(profileFile ? [path.join(here, '../api/cpu-profile.cjs')] : [])];
const api = await startApi(db.ownerUrl, {
  NODE_OPTIONS: preload.map((f) => `--require ${f}`).join(' '),
  KEPT_LOOP_LAG_FILE: lagFile,
  ...(profileFile ? { KEPT_CPU_PROFILE: profileFile } : {}),
});
let out = [];
const phases = {};
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
  phases.idle = [Date.now()];
  const idleUntil = Date.now() + idleMs;
  const idle = percentiles(await probe(() => Date.now() >= idleUntil));
  log(`${slug} (${cases.toLocaleString('en')} cases), category ${category}: /health idle p50=${idle.p50} p99=${idle.p99} max=${idle.max} ms (n=${idle.n})`);

  const t0 = Date.now();
  phases.idle.push(t0);
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
  phases.building = [t0, Date.now()];
  await sleep(600); // the last loop-lag window of the build is written
  const lag = loopLag(phases);
  const rec = percentiles(recMs);
  log(`model ready after ${modelMs} ms (${modelCases} cases); recommendations while building p50=${rec.p50} max=${rec.max} ms (n=${rec.n})`);
  log(`/health during the build p50=${during.p50} p99=${during.p99} max=${during.max} ms (n=${during.n})`);
  out = [
    `model ${slug} time_to_model_ms=${modelMs} model_cases=${modelCases}`,
    `model ${slug} recommendation_while_building p50_ms=${rec.p50} max_ms=${rec.max} n=${rec.n}`,
    `model ${slug} health_idle p50_ms=${idle.p50} p99_ms=${idle.p99} max_ms=${idle.max} n=${idle.n}`,
    `model ${slug} health_building p50_ms=${during.p50} p99_ms=${during.p99} max_ms=${during.max} n=${during.n} ratio_p99=${(during.p99 / idle.p99).toFixed(1)} ratio_max=${(during.max / idle.max).toFixed(1)} target_max_ms=50 ${during.max < 50 ? 'MET' : 'MISSED'}`,
    `model ${slug} loop_delay_idle max_ms=${lag.idle.max} windows=${lag.idle.n}`,
    `model ${slug} loop_delay_building max_ms=${lag.building.max} windows_over_50ms=${lag.building.over50} windows=${lag.building.n}` +
      ` worst_window_waited_for_core_ms=${lag.building.worstWaited} ratio_max=${(lag.building.max / Math.max(1, lag.idle.max)).toFixed(1)}`,
  ];
  for (const w of lag.building.worst) log(`  build +${w.t - t0} ms: loop delay max ${w.max} ms, p99 ${w.p99} ms, thread waited for a core ${w.waited} ms of the window`);
} finally {
  const rss = api.peakRssMiB();
  if (profileFile) {
    process.kill(api.pid, 'SIGWINCH');
    for (let i = 0; i < 100 && !existsSync(profileFile); i++) await sleep(100);
    log(`API cpu profile: ${profileFile} (node bench/model/stalls.mjs ${profileFile})`);
  }
  await api.stop();
  rmSync(lagFile, { force: true });
  await db.drop();
  await pgServer.stop();
  for (const line of out) process.stdout.write(`${line}\n`);
  process.stdout.write(`api peak_rss_mib=${rss}\n`);
}

/** The loop-lag windows (bench/lib/loop-lag.cjs) of each phase: the largest delay, the worst windows. */
function loopLag(phaseTimes) {
  const windows = existsSync(lagFile)
    ? readFileSync(lagFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(Number))
        .map(([t, max, p99, waited]) => ({ t, max, p99, waited }))
    : [];
  const of = ([start, end]) => {
    // A window ending at t covers the 250 ms before it.
    const ws = windows.filter((w) => w.t > start + 250 && w.t <= end + 250);
    const worst = [...ws].sort((a, b) => b.max - a.max).slice(0, 5);
    return { n: ws.length, max: worst[0]?.max ?? null, over50: ws.filter((w) => w.max > 50).length, worst, worstWaited: worst[0]?.waited ?? null };
  };
  return { idle: of(phaseTimes.idle), building: of(phaseTimes.building) };
}
