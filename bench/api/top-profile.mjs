#!/usr/bin/env node
// Summarizes a .cpuprofile: self time per function (and per package / file), highest first.
// Usage: node bench/api/top-profile.mjs FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, n = '40'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|apps|libs)\//, '$1/');
  const key = `${functionName || '(anon)'} ${short}:${lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const p = url.includes('node_modules/') ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1') : url ? (url.startsWith('node:') ? 'node:' : url.replace(/^.*\/(dist\/apps\/api\/src\/[^/]+\/[^/]+|dist\/[^/]+\/[^/]+).*$/, '$1')) : functionName;
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
console.log(`total sampled ${(total / 1e6).toFixed(1)} s`);
console.log('--- by package / area');
for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(pct(v), k);
console.log('--- by function (self)');
for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(pct(v), k);
