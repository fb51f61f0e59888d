#!/usr/bin/env node
// bench/recommend: recommendation latency for a tenant with 1,000,000 past cases. The model (weighted
// Kaplan–Meier curves per segment, pooled) is built once, as the API keeps it in memory; each request
// then resolves its segment, reads the calibrated quantile, the keep-probability of a typed promise and
// the expectation, and serialises the answer. Baseline, measured in the same run: a Map look-up of a
// precomputed answer plus JSON serialisation of a response of the same shape.
// Usage: npm run bench:recommend [-- --cases N --requests N]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CASES = arg('--cases', 1_000_000);
const REQUESTS = arg('--requests', 20_000);

const build = spawnSync(process.execPath, [require_resolve_nx(), 'run', 'forecast:build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
if (build.status !== 0) throw new Error('build failed');
function require_resolve_nx() {
  return createRequire(import.meta.url).resolve('nx/bin/nx.js', { paths: [root] });
}
const { ForecastModel, Calibrator, expectation, recommendHonestly } = createRequire(import.meta.url)(`${root}/libs/forecast/dist/index.js`);

let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const HOUR = 3_600_000;
const cats = Array.from({ length: 60 }, (_, i) => `category-${i}`);
const prios = ['low', 'normal', 'high', 'urgent'];
const regions = Array.from({ length: 20 }, (_, i) => `region-${i}`);
const customers = Array.from({ length: 5000 }, (_, i) => `customer-${i}`);
const pick = (a) => a[Math.floor(rand() * rand() * a.length)];

const t0 = performance.now();
// Four levels (issue 16: a mapping may offer extra segment columns and up to four are chosen): the
// fourth, a channel-like column of 5 values, makes every path one node deeper than the built-in three.
const sources = ['phone', 'web', 'app', 'email', 'walk-in'];
const model = new ForecastModel(['category', 'priority', 'region', 'source'], { halfLifeDays: 60 });
const now = Date.UTC(2026, 10, 23);
for (let i = 0; i < CASES; i++) {
  const created = now - (1 - i / CASES) * 365 * 24 * HOUR;
  const c = pick(cats);
  const path = model.pathOf([c, pick(prios), pick(regions), pick(sources)], pick(customers));
  const d = HOUR * (2 + cats.indexOf(c)) * Math.exp(0.8 * normal());
  if (created + d < now) model.addClosed(path, created, d);
  else model.addOpen(path, created, now - created);
}
model.estimatePriorStrengths();
const buildSeconds = (performance.now() - t0) / 1000;
const calibrator = new Calibrator();

function recommend(req) {
  const values = [req.category, req.priority, req.region, req.source];
  const level = calibrator.levelFor(req.target);
  const rec = recommendHonestly(model, model.pathOf(values), level);
  const typed = model.keepProbability(values, req.typedMs);
  const exp = expectation(model, { values, customer: req.customer });
  return JSON.stringify({
    openedAt: new Date(now).toISOString(),
    target: req.target,
    recommended: { promisedAt: new Date(now + rec.promiseMs).toISOString(), durationMinutes: Math.round(rec.promiseMs / 60000), keepProbability: calibrator.calibrate(rec.keepProbability) },
    typed: { promisedAt: new Date(now + req.typedMs).toISOString(), durationMinutes: Math.round(req.typedMs / 60000), keepProbability: calibrator.calibrate(typed.keepProbability) },
    basis: rec.basis,
    expectation: { expectedAt: exp.expectedMs === null ? null : new Date(now + exp.expectedMs).toISOString(), dominatingSource: exp.dominatingSource, n: exp.n, sources: exp.sources },
  });
}

const requests = Array.from({ length: REQUESTS }, () => ({ category: pick(cats), priority: pick(prios), region: pick(regions), source: pick(sources), customer: pick(customers), target: 0.9, typedMs: HOUR * (1 + rand() * 48) }));
const precomputed = new Map(requests.map((r) => [`${r.category}|${r.priority}|${r.region}|${r.source}|${r.customer}`, JSON.parse(recommend(r))]));
model.invalidate(); // the measured run starts cold: every segment's pooled curve is computed on first use

function measure(fn) {
  const times = new Float64Array(requests.length);
  let sink = 0;
  for (let i = 0; i < requests.length; i++) {
    const s = process.hrtime.bigint();
    sink += fn(requests[i]).length;
    times[i] = Number(process.hrtime.bigint() - s) / 1e6;
  }
  times.sort();
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p99: q(0.99), max: times[times.length - 1], sink };
}

const baseline = measure((r) => JSON.stringify(precomputed.get(`${r.category}|${r.priority}|${r.region}|${r.source}|${r.customer}`)));
const rec = measure(recommend);
const fmt = (x) => `${x.toFixed(3)} ms`;
console.log(`bench/recommend: tenant with ${CASES.toLocaleString('en')} past cases, ${model.segmentCount.toLocaleString('en')} segments (model built in ${buildSeconds.toFixed(1)} s), ${REQUESTS.toLocaleString('en')} requests, cold cache`);
console.log(`  recommend + keep-probability + expectation + JSON: p50 ${fmt(rec.p50)}, p99 ${fmt(rec.p99)}, max ${fmt(rec.max)} (target: p99 < 5 ms)`);
console.log(`  baseline (Map look-up + JSON of the same response): p50 ${fmt(baseline.p50)}, p99 ${fmt(baseline.p99)}`);
console.log(`  ratio recommend/baseline: p50 ${(rec.p50 / baseline.p50).toFixed(1)}×, p99 ${(rec.p99 / baseline.p99).toFixed(1)}×`);
