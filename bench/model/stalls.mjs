#!/usr/bin/env node
// The longest stretches a .cpuprofile's thread spent busy without a break (consecutive samples that are not
// "(idle)"): each is a stall of the event loop. Prints the N longest with their start (ms into the profile)
// and the functions (self time) and application frames that filled them.
// Usage: node bench/model/stalls.mjs FILE.cpuprofile [N] [--from MS --to MS]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const [file, n = '8'] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const from = opt('--from', 0);
const to = opt('--to', Infinity);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const name = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  return `${functionName || '(anon)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|apps|libs)\//, '$1/')}:${lineNumber + 1}`;
};
/** The innermost frame of our own code (dist/, apps/, libs/) on the sample's stack. */
const ownFrame = (id) => {
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const url = byId.get(x).callFrame.url;
    if (url && !url.includes('node_modules') && !url.startsWith('node:')) return name(x);
  }
  return '(no own frame)';
};

const stalls = [];
let t = 0;
let cur = null;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  const id = profile.samples[i];
  const idle = byId.get(id).callFrame.functionName === '(idle)';
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  if (idle) {
    if (cur) stalls.push(cur);
    cur = null;
    continue;
  }
  cur ??= { at: t / 1000, ms: 0, self: new Map(), own: new Map() };
  cur.ms += dt;
  cur.self.set(name(id), (cur.self.get(name(id)) ?? 0) + dt);
  const own = ownFrame(id);
  cur.own.set(own, (cur.own.get(own) ?? 0) + dt);
}
if (cur) stalls.push(cur);
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([f, ms]) => `      ${ms.toFixed(1).padStart(7)} ms  ${f}`).join('\n');
const chosen = stalls.filter((s) => s.at >= from && s.at <= to).sort((a, b) => b.ms - a.ms).slice(0, Number(n));
console.log(`profile ${((t / 1000) | 0)} ms, ${stalls.length} busy stretches; the ${chosen.length} longest:`);
for (const s of chosen) {
  console.log(`  at ${s.at.toFixed(0)} ms: busy ${s.ms.toFixed(1)} ms\n    self:\n${top(s.self, 6)}\n    innermost own frame:\n${top(s.own, 4)}`);
}
