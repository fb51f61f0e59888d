#!/usr/bin/env node
// bench/topology: what a second API process buys behind the load balancer. Two API processes (dist/,
// WORKER=off, as in production) on one database with the demo tenant, and two Debian nginx processes
// running docker/nginx.conf: one with API a as its only upstream, one with a and b. autocannon
// `GET /api/v1/cases/:id` (rotating over the tenant's cases) through each, taking turns in short rounds
// in the same run, so the machine's changing load hits both alike. Prints req/s, p50/p99, the ratio
// two/one, the machine's cores and load average.
//
// Usage: npm run bench:topology [-- --duration 5 --rounds 4 --connections 32 --no-build --also-b]
// (--also-b measures a third balancer with only API b, to tell a slow second process from a slow pair.)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { arg, build, flag, log, server, startApi } from '../lib/harness.mjs';
import { createDatabase, dropDatabase, freePort, withDatabase } from '../../scripts/lib/database.mjs';
import { loadBootstrap } from '../../scripts/lib/run.mjs';

const { prepareNginx } = createRequire(import.meta.url)('../../scripts/lib/nginx.js');
const duration = arg('--duration', 5);
const roundCount = arg('--rounds', 4);
const connections = arg('--connections', 32);

if (!flag('--no-build')) build();
const pgServer = await server();
const dbName = `kept_bench_topology_${process.pid}`;
await createDatabase(pgServer.adminUrl, dbName);
const ownerUrl = withDatabase(pgServer.adminUrl, dbName);
const bootstrap = loadBootstrap();
await bootstrap.migrate(ownerUrl, 'kept_app');
await bootstrap.seedDemo(ownerUrl);

const cleanups = [];
const load = { before: os.loadavg(), after: null };
const results = {};
try {
  const apis = [await startApi(ownerUrl), await startApi(ownerUrl)];
  cleanups.push(() => Promise.all(apis.map((a) => a.stop())));
  const balancers = {};
  const setups = [
    ['one', [apis[0]]],
    ['two', apis],
    ...(flag('--also-b') ? [['b', [apis[1]]]] : []),
  ];
  const names = setups.map(([name]) => name);
  for (const [name, upstreams] of setups) {
    balancers[name] = await startNginx(upstreams.map((a) => a.url.replace('http://', '')));
  }

  const login = await fetch(`${balancers.two.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'dispatcher@demo.kept.test', password: 'kept-demo' }),
  });
  if (!login.ok) throw new Error(`log-in failed: ${login.status} ${await login.text()}`);
  const token = (await login.json()).accessToken;
  const page = await (await fetch(`${balancers.two.url}/api/v1/cases?limit=100`, { headers: { authorization: `Bearer ${token}` } })).json();
  const ids = page.items.map((c) => c.id);
  if (ids.length === 0) throw new Error('the demo tenant has no cases');

  const options = (url) => {
    let i = 0;
    return {
      url,
      connections,
      headers: { authorization: `Bearer ${token}` },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/cases/${ids[i++ % ids.length]}` }) }],
    };
  };
  for (const name of names) {
    const probe = await fetch(`${balancers[name].url}/api/v1/cases/${ids[0]}`, { headers: { authorization: `Bearer ${token}` } });
    if (probe.status !== 200) throw new Error(`${name}: GET /cases/:id answered ${probe.status}`);
    await cannon({ ...options(balancers[name].url), duration: 3 }); // warm-up (JIT, pools), not measured
  }
  const rounds = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < roundCount; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) rounds[name].push(await cannon({ ...options(balancers[name].url), duration }));
    log(`  round ${r + 1}: ${names.map((name) => `${name} ${rounds[name].at(-1).rps} req/s`).join(', ')}`);
  }
  for (const name of names) results[name] = combine(rounds[name]);
} finally {
  load.after = os.loadavg();
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  await dropDatabase(pgServer.adminUrl, dbName).catch(() => undefined);
  await pgServer.stop();
}
const { one, two, b } = results;
if (one && two) {
  const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(
    `topology GET /cases/:id via nginx connections=${connections} duration=${duration}s rounds=${roundCount}\n` +
      `  one API upstream:  ${one.rps} req/s p50=${one.p50} ms p99=${one.p99} ms non2xx=${one.non2xx} errors=${one.errors}\n` +
      `  two API upstreams: ${two.rps} req/s p50=${two.p50} ms p99=${two.p99} ms non2xx=${two.non2xx} errors=${two.errors}\n` +
      (b ? `  only API b:        ${b.rps} req/s p50=${b.p50} ms p99=${b.p99} ms non2xx=${b.non2xx} errors=${b.errors}\n` : '') +
      `  ratio two/one: ${(two.rps / one.rps).toFixed(2)}\n` +
      `  machine: ${os.cpus().length} cores, load average before ${fmtLoad(load.before)}, after ${fmtLoad(load.after)}\n`,
  );
}

/** Debian's nginx with docker/nginx.conf in the foreground on a free port, stopped by the cleanups. */
async function startNginx(upstreams) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-bench-nginx-'));
  const port = await freePort();
  const { command, args } = prepareNginx(dir, { port, upstreams });
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  cleanups.push(
    () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGQUIT');
      }).then(() => rmSync(dir, { recursive: true, force: true })),
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('nginx exited');
    const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok).catch(() => false);
    if (ok) return { url };
    if (i > 300) throw new Error('nginx did not answer /api/v1/health within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rounds of one setup: mean req/s, median of the rounds' p50 and p99, sums of the failures. */
function combine(list) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return {
    rps: Math.round(list.reduce((a, r) => a + r.rps, 0) / list.length),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    non2xx: list.reduce((a, r) => a + r.non2xx, 0),
    errors: list.reduce((a, r) => a + r.errors, 0),
  };
}

async function cannon(opts) {
  const r = await autocannon(opts);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}
