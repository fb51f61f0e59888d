#!/usr/bin/env node
// `kept` — runs the built CLI (dist/apps/cli/src/main.js). When the build is missing or older than any
// source it depends on, builds it first through Nx (libs and CLI), so `npx kept …` works right after
// `npm ci`. Build output goes to stderr: stdout stays clean for --json.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist/apps/cli/src/main.js');
const sources = ['apps/cli/src', 'libs/domain/src', 'libs/contracts/src', 'libs/history/src', 'libs/forecast/src'];
const libDists = ['libs/domain/dist/index.js', 'libs/contracts/dist/index.js', 'libs/history/dist/index.js', 'libs/forecast/dist/index.js'];

function newest(dir) {
  let t = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function mtime(p) {
  try {
    return fs.statSync(path.join(root, p)).mtimeMs;
  } catch {
    return 0;
  }
}

const built = Math.min(mtime('dist/apps/cli/src/main.js'), ...libDists.map(mtime));
const stale = built === 0 || sources.some((s) => newest(path.join(root, s)) > built);
if (stale && process.env.KEPT_NO_BUILD !== '1') {
  process.stderr.write('kept: building the CLI…\n');
  const nx = require.resolve('nx/bin/nx.js', { paths: [root] });
  const r = spawnSync(process.execPath, [nx, 'run', 'cli:build', '--outputStyle=stream'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
  });
  if (r.status !== 0) {
    process.stderr.write('kept: the build failed\n');
    process.exit(r.status ?? 1);
  }
  // Nx may restore outputs from its cache with old mtimes: mark the build as fresh.
  const now = new Date();
  for (const p of ['dist/apps/cli/src/main.js', ...libDists]) {
    try {
      fs.utimesSync(path.join(root, p), now, now);
    } catch {
      /* missing output is reported below */
    }
  }
}
if (!fs.existsSync(entry)) {
  process.stderr.write(`kept: ${entry} is missing after the build\n`);
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
