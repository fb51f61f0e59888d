#!/usr/bin/env node
// bench/api: the API's throughput at a real tenant's size. autocannon (50 connections) on
// `GET /api/v1/cases/:id` (rotating over 500 cases of the big tenant) and `POST /api/v1/cases` against
// the real API (dist/, as started in production) and against a bare node:http + pg endpoint
// (bench/api/bare-server.mjs) doing the same essential work as the same runtime role (kept_app) in the
// same RLS transaction after verifying the same HS256 token. Both run as their own process on the same
// cloned scale database. Prints req/s, p50/p99 of each, the ratios real/bare and the API's peak RSS.
//
// Usage: npm run bench:api [-- --cases 1000000 --duration 5 --rounds 4 --connections 50 --cpu-prof DIR --no-build]
// (--cpu-prof DIR profiles the real API during the whole run and writes DIR/api-<time>.cpuprofile.)
// (--no-build measures the dist/ already built, e.g. a baseline built before the sources changed.)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { arg, asTenant, build, flag, getJson, log, login, scaleDatabase, server, startApi } from '../lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const total = arg('--cases', 1_000_000);
const duration = arg('--duration', 5);
const roundCount = arg('--rounds', 4);
const connections = arg('--connections', 50);
const cpuProf = arg('--cpu-prof', null);
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-00';

if (!flag('--no-build')) build();
const pgServer = await server();
const db = await scaleDatabase(pgServer.adminUrl, { total });
if (cpuProf) mkdirSync(cpuProf, { recursive: true });
const profileFile = cpuProf ? path.resolve(cpuProf, `api-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`) : null;
const api = await startApi(db.ownerUrl, profileFile ? { NODE_OPTIONS: `--require ${path.join(here, 'cpu-profile.cjs')}`, KEPT_CPU_PROFILE: profileFile } : {});
const bare = await startBare(db.appUrl);
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
    await cannon({ ...runs[name].post, duration: 2 });
    if (name === 'real') log(`  after warm-up: API rss ${rssMiB(api.pid)} MiB`);
  }
  // Real and bare take turns in short rounds (the order alternating), so that a change in the machine's
  // load (two cores shared with other work) hits both alike and the ratio stays meaningful.
  for (const op of ['get', 'post']) {
    const rounds = { real: [], bare: [] };
    for (let r = 0; r < roundCount; r++) {
      for (const name of r % 2 === 0 ? ['real', 'bare'] : ['bare', 'real']) rounds[name].push(await cannon({ ...runs[name][op], duration }));
      log(`  ${op} round ${r + 1}: API rss ${rssMiB(api.pid)} MiB (peak ${api.peakRssMiB()} MiB)`);
    }
    for (const name of ['real', 'bare']) {
      results[`${op}_${name}`] = combine(rounds[name]);
      log(`${name} ${op.toUpperCase()}: ${fmt(results[`${op}_${name}`])} (rounds: ${rounds[name].map((x) => x.rps).join(', ')} req/s)`);
    }
  }
} finally {
  const rss = api.peakRssMiB();
  if (profileFile) {
    process.kill(api.pid, 'SIGWINCH');
    await waitForFile(profileFile);
    log(`API cpu profile: ${profileFile} (node bench/api/top-profile.mjs ${profileFile})`);
  }
  await api.stop();
  await bare.stop();
  await db.drop();
  await pgServer.stop();
  for (const op of ['get', 'post']) {
    const r = results[`${op}_real`];
    const b = results[`${op}_bare`];
    if (!r || !b) continue;
    process.stdout.write(
      `api ${op === 'get' ? 'GET /cases/:id' : 'POST /cases'} connections=${connections} real_rps=${r.rps} real_p50_ms=${r.p50} real_p99_ms=${r.p99} real_non2xx=${r.non2xx}` +
        ` bare_rps=${b.rps} bare_p50_ms=${b.p50} bare_p99_ms=${b.p99} ratio_rps=${(r.rps / b.rps).toFixed(2)}\n`,
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

/** Rounds of one target: mean req/s, median of the rounds' p50 and p99, sums of the failures. */
function combine(rounds) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return {
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
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
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
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
