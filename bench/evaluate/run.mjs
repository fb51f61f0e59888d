#!/usr/bin/env node
// bench/evaluate: 1,000,000 synthetic cases (a year, 40 categories × 4 priorities × 12 regions, lognormal
// service times that drift, 3 % never closed) through `kept evaluate --json`. Prints rows/s and the total,
// and the ratio against a baseline measured in the same run: reading the same file with csv-parse alone.
// Usage: npm run bench:evaluate [-- --rows N]
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createRequire } from 'node:module';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const require = createRequire(import.meta.url);
const argRows = process.argv.indexOf('--rows');
const N = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
const keep = process.argv.includes("--keep");
const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-bench-eval-'));
const file = path.join(dir, 'cases.csv');
const mappingFile = path.join(dir, 'mapping.json');

let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const iso = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

async function generate() {
  const out = createWriteStream(file);
  out.write('id,opened,due,closed,category,priority,region\n');
  const start = Date.UTC(2025, 0, 1);
  const span = 365 * 86_400_000;
  const HOUR = 3_600_000;
  const catMedian = Array.from({ length: 40 }, (_, i) => HOUR * Math.exp(1 + 3 * ((i * 7919) % 40) / 40));
  const prios = ['low', 'normal', 'high', 'urgent'];
  let buf = '';
  for (let i = 0; i < N; i++) {
    const opened = start + Math.floor((i / N) * span);
    const c = Math.floor(rand() * rand() * 40);
    const p = Math.floor(rand() * 4);
    const r = Math.floor(rand() * 12);
    const median = catMedian[c] * (1 + (opened - start) / span) * (p === 3 ? 0.5 : 1);
    const d = median * Math.exp(0.9 * normal());
    const closed = rand() < 0.03 || opened + d > start + span ? '' : iso(opened + d);
    const due = iso(opened + 3 * catMedian[c]);
    buf += `${i + 1},${iso(opened)},${due},${closed},cat-${c},${prios[p]},region-${r}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  writeFileSync(mappingFile, JSON.stringify({ zone: 'UTC', columns: { externalId: 'id', createdAt: 'opened', promisedAt: 'due', closedAt: 'closed', category: 'category', priority: 'priority', region: 'region' } }));
}

async function baseline() {
  const { parse } = require('csv-parse');
  const t = process.hrtime.bigint();
  let n = 0;
  for await (const _ of createReadStream(file).pipe(parse({ relax_column_count: true }))) n++;
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, n };
}

try {
  process.stderr.write(`generating ${N.toLocaleString('en')} rows…\n`);
  await generate();
  const mb = statSync(file).size / 1e6;
  // Build first (not timed).
  spawnSync(process.execPath, [path.join(root, 'bin/kept.js'), '--help'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = await baseline();
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/kept.js'), 'evaluate', file, '--mapping', mappingFile, '--target', '0.9', '--json', '--categories', '5'], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, KEPT_NO_BUILD: '1' } });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`kept evaluate failed with ${r.status}`);
  }
  const lines = r.stdout.trim().split('\n');
  const res = JSON.parse(lines[lines.length - 1]);
  console.log(`bench/evaluate: ${N.toLocaleString('en')} rows, ${mb.toFixed(0)} MB`);
  console.log(`  kept evaluate: ${seconds.toFixed(1)} s total, ${Math.round(N / seconds).toLocaleString('en')} rows/s (limit: 120 s)`);
  console.log(`  baseline (csv-parse alone, same file): ${base.seconds.toFixed(1)} s → ratio ${(seconds / base.seconds).toFixed(2)}×`);
  console.log(`  result: keep-rate ${res.keepRate} at target ${res.target}, median promise ${res.medianPromiseHours} h, org ${res.orgKeepRate} / ${res.orgMedianPromiseHours} h, unknown ${res.unknown}`);
  console.log(`  calibration: ${res.calibration.map((c) => `${c.target}→${c.keepRate}`).join('  ')}`);
} finally {
  if (keep) console.log(`  kept files in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
