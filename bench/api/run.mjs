#!/usr/bin/env node
// bench/api: the API's throughput at a real tenant's size. autocannon (50 connections) on
// `GET /api/v1/cases/:id` (rotating over 500 cases of the big tenant) and `POST /api/v1/cases` against
// the real API (dist/, as started in production) and against a bare node:http + pg endpoint
// (bench/api/bare-server.mjs) doing the same essential work as the same runtime role (kept_app) in the
// same RLS transaction after verifying the same HS256 token. Both run as their own process on the same
// cloned scale database. Prints req/s, p50/p99 of each, the ratios real/bare and the API's peak RSS, and
// the CPU time each side spends per request: in its node process (/proc/<pid>/stat) and in its PostgreSQL
// backends (found by application_name in pg_stat_activity) — on a machine whose cores are shared, CPU per
// request tells which side of the wire a gap is on better than req/s alone.
// The real API's forecast model of the big tenant (built after its first create) is awaited before the
// measured rounds, so that no build runs during them.
//
// Usage: npm run bench:api [-- --cases 1000000 --duration 5 --rounds 4 --connections 50 --only get|post --cpu-prof DIR --no-build]
// (--cpu-prof DIR profiles the real API during the measured rounds only, not its start or the warm-up, and
// writes DIR/api-<time>.cpuprofile; with --only post it holds the creates alone.)
// (--no-build measures the dist/ already built, e.g. a baseline built before the sources changed.)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, asTenant, build, flag, getJson, log, login, scaleDatabase, server, startApi } from '../lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const total = arg('--cases', 1_000_000);
const duration = arg('--duration', 5);
const roundCount = arg('--rounds', 4);
const connections = arg('--connections', 50);
const cpuProf = arg('--cpu-prof', null);
const only = arg('--only', null);
const ops = only ? [only] : ['get', 'post'];
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-00';

if (!flag('--no-build')) build();
const pgServer = await server();
const db = await scaleDatabase(pgServer.adminUrl, { total });
if (cpuProf) mkdirSync(cpuProf, { recursive: true });
const profileFile = cpuProf ? path.resolve(cpuProf, `api-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`) : null;
const api = await startApi(
  db.ownerUrl,
  profileFile ? { NODE_OPTIONS: `--require ${path.join(here, 'cpu-profile.cjs')}`, KEPT_CPU_PROFILE: profileFile, KEPT_CPU_PROFILE_ON_SIGNAL: '1' } : {},
);
const bare = await startBare(db.appUrl);
const admin = new pg.Client({ connectionString: db.ownerUrl });
await admin.connect();
const sides = { real: { pid: api.pid, app: 'kept' }, bare: { pid: bare.pid, app: 'kept-bench-bare' } };
const results = {};
try {
  const token = await login(api.url, 'dispatcher@scale-big.kept.test');
  const me = await getJson(`${api.url}/api/v1/auth/me`, token);
  const tenantId = me.tenantId ?? me.user?.tenantId ?? me.organization?.id;
  const { ids, customerId } = await asTenant(db.appUrl, tenantId, async (sql) => ({
    ids: (await sql(`SELECT id FROM cases ORDER BY md5(id::text) LIMIT 500`)).map((r) => r.id),
    customerId: (await sql(`SELECT id FROM customers ORDER BY name LIMIT 1`))[0].id,
  }));
  const promisedAt = () => new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
  const createBody = () => JSON.stringify({ customerId, category: 'bench', priority: 'normal', summary: 'bench:api create', promisedAt: promisedAt() });

  const runs = {};
  for (const [name, target] of [['real', api.url], ['bare', bare.url]]) {
    // Sanity: both answer the same routes with 2xx before they are measured.
    const probe = await fetch(`${target}/api/v1/cases/${ids[0]}`, { headers: { authorization: `Bearer ${token}` } });
    if (probe.status !== 200) throw new Error(`${name} GET /cases/:id answered ${probe.status}: ${await probe.text()}`);
    let i = 0;
    runs[name] = {
      get: {
        url: target,
        connections,
        headers: { authorization: `Bearer ${token}` },
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/cases/${ids[i++ % ids.length]}` }) }],
      },
      post: {
        url: target,
        connections,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: [{ method: 'POST', path: '/api/v1/cases', setupRequest: (req) => ({ ...req, body: createBody() }) }],
      },
    };
    await cannon({ ...runs[name].get, duration: 3 }); // warm-up (JIT, pool, caches), not measured
    // One create alone first: the tenant's forecast model (the promise's keep-probability) is built on
    // the first create after start; measured here is the steady state, not 50 concurrent first builds.
    const first = await fetch(`${target}/api/v1/cases`, { method: 'POST', headers: runs[name].post.headers, body: createBody() });
    if (first.status !== 201) throw new Error(`${name} POST /cases answered ${first.status}: ${await first.text()}`);
    if (name === 'real') await modelReady(target, token);
    await cannon({ ...runs[name].post, duration: 2 });
    if (name === 'real') log(`  after warm-up: API rss ${rssMiB(api.pid)} MiB`);
  }
  // The profile starts here: the measured rounds only.
  if (profileFile) process.kill(api.pid, 'SIGWINCH');
  // Real and bare take turns in short rounds (the order alternating), so that a change in the machine's
  // load (two cores shared with other work) hits both alike and the ratio stays meaningful.
  for (const op of ops) {
    const rounds = { real: [], bare: [] };
    for (let r = 0; r < roundCount; r++) {
      for (const name of r % 2 === 0 ? ['real', 'bare'] : ['bare', 'real']) rounds[name].push(await measured(sides[name], { ...runs[name][op], duration }));
      log(`  ${op} round ${r + 1}: API rss ${rssMiB(api.pid)} MiB (peak ${api.peakRssMiB()} MiB)`);
    }
    for (const name of ['real', 'bare']) {
      results[`${op}_${name}`] = combine(rounds[name]);
      log(`${name} ${op.toUpperCase()}: ${fmt(results[`${op}_${name}`])} (rounds: ${rounds[name].map((x) => x.rps).join(', ')} req/s)`);
      log(`  ${name} ${op.toUpperCase()} CPU per request: node ${results[`${op}_${name}`].nodeMs} ms, PostgreSQL ${results[`${op}_${name}`].pgMs} ms`);
    }
  }
} finally {
  const rss = api.peakRssMiB();
  if (profileFile) {
    process.kill(api.pid, 'SIGWINCH');
    await waitForFile(profileFile);
    log(`API cpu profile: ${profileFile} (node bench/api/top-profile.mjs ${profileFile})`);
  }
  await admin.end();
  await api.stop();
  await bare.stop();
  await db.drop();
  await pgServer.stop();
  for (const op of ops) {
    const r = results[`${op}_real`];
    const b = results[`${op}_bare`];
    if (!r || !b) continue;
    process.stdout.write(
      `api ${op === 'get' ? 'GET /cases/:id' : 'POST /cases'} connections=${connections} real_rps=${r.rps} real_p50_ms=${r.p50} real_p99_ms=${r.p99} real_non2xx=${r.non2xx}` +
        ` bare_rps=${b.rps} bare_p50_ms=${b.p50} bare_p99_ms=${b.p99} ratio_rps=${(r.rps / b.rps).toFixed(2)}` +
        ` cpu_ms_per_request real_node=${r.nodeMs} real_pg=${r.pgMs} bare_node=${b.nodeMs} bare_pg=${b.pgMs}\n`,
    );
  }
  process.stdout.write(`api peak_rss_mib=${rss}\n`);
}

/** Current resident memory of a process (VmRSS), MiB. */
function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

async function waitForFile(file) {
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
}

/** CPU time of a process (user + system), ms. */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null; // gone
  }
}

/** CPU time so far of a side's node process and of each of its PostgreSQL backends (by application_name). */
async function cpuOf(side) {
  const { rows } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [side.app]);
  return { node: cpuMs(side.pid), pg: new Map(rows.map((r) => [r.pid, cpuMs(r.pid)])) };
}

/** One autocannon round with the CPU each side spent on it per request (a backend started during it counts whole). */
async function measured(side, opts) {
  const before = await cpuOf(side);
  const r = await cannon(opts);
  const after = await cpuOf(side);
  let pgMs = 0;
  for (const [pid, ms] of after.pg) if (ms !== null) pgMs += ms - (before.pg.get(pid) ?? 0);
  const n = Math.max(1, r.total);
  return { ...r, nodeMs: (after.node - before.node) / n, pgMs: pgMs / n };
}

/** Waits until the real API answers from the tenant's forecast model (its build started with the first create). */
async function modelReady(target, token) {
  const t0 = Date.now();
  for (;;) {
    const res = await fetch(`${target}/api/v1/recommendations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'bench', priority: 'normal' }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`/recommendations: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    if (body.modelStatus !== 'building') return log(`  forecast model ready after ${Date.now() - t0} ms`);
    if (Date.now() - t0 > 600_000) throw new Error('no forecast model within 10 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Rounds of one target: mean req/s, median of the rounds' p50 and p99, sums of the failures, mean CPU per request. */
function combine(rounds) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const mean = (xs) => Math.round((10 * xs.reduce((a, b) => a + b, 0)) / xs.length) / 10;
  return {
    nodeMs: mean(rounds.map((r) => r.nodeMs)),
    pgMs: mean(rounds.map((r) => r.pgMs)),
    rps: Math.round(rounds.reduce((a, r) => a + r.rps, 0) / rounds.length),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
  };
}

function fmt(r) {
  return `${r.rps} req/s p50=${r.p50} p99=${r.p99} ms non2xx=${r.non2xx} errors=${r.errors}`;
}

async function cannon(opts) {
  const r = await autocannon(opts);
  return { rps: Math.round(r.requests.average), total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function startBare(appUrl) {
  const child = spawn(process.execPath, [path.join(here, 'bare-server.mjs')], {
    env: { ...process.env, DATABASE_URL: appUrl, JWT_SECRET, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bare server exited with code ${code}`)));
    child.stdout.on('data', (chunk) => {
      const m = /bare listening on port (\d+)/.exec(String(chunk));
      if (m) resolve(Number(m[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
