// Shared pieces of the scale benchmarks: a PostgreSQL (DATABASE_URL or embedded), a database holding
// the generated million cases (kept between runs as a template, so only the first run pays for it), the
// real API started from dist/ against it, log-in, timing and percentiles.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, dropDatabase, freePort, startEmbeddedPostgres, withDatabase } from '../../scripts/lib/database.mjs';
import { loadBootstrap, root } from '../../scripts/lib/run.mjs';
import { generateScaleData, SCALE_PASSWORD } from './scale-data.mjs';

export const log = (m) => process.stderr.write(`${m}\n`);

export const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = process.argv[i + 1];
  return typeof dflt === 'number' ? Number(v) : v;
};
export const flag = (name) => process.argv.includes(name);

export function build(projects = 'api,domain,contracts,forecast,history') {
  const nx = createRequire(import.meta.url).resolve('nx/bin/nx.js', { paths: [root] });
  log('building the API…');
  const r = spawnSync(process.execPath, [nx, 'run-many', '-t', 'build', `--projects=${projects}`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (r.status !== 0) throw new Error('build failed');
}

/** A PostgreSQL server: DATABASE_URL, or an embedded one stopped by `stop()`. */
export async function server() {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), 'kept-bench-pg-'));
  const embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false });
  return {
    adminUrl: embedded.url,
    stop: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Bump when scale-data.mjs changes what it generates (the kept template is then regenerated). */
const GENERATOR_VERSION = 'v1';

/**
 * A fresh copy of the generated scale database. The generated data is kept as a template named after
 * its size and the generator's version, so later runs clone it in seconds; migrations that came since
 * it was generated are applied to it once (with their backfills, as on a real upgrade). `--fresh`
 * regenerates it.
 */
export async function scaleDatabase(adminUrl, { total = 1_000_000 } = {}) {
  const base = `kept_scale_${total}_${GENERATOR_VERSION}`;
  // KEPT_SCALE_TEMPLATE: work on a copy of the generated data of one's own (e.g. per branch), upgraded by
  // that branch's migrations, leaving the shared base untouched.
  const template = process.env.KEPT_SCALE_TEMPLATE || base;
  const exists = async (name) => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      return (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount > 0;
    } finally {
      await admin.end();
    }
  };
  if (!(await exists(base)) || flag('--fresh')) {
    await dropDatabase(adminUrl, base);
    await createDatabase(adminUrl, base);
    const url = withDatabase(adminUrl, base);
    await loadBootstrap().migrate(url, 'kept_app');
    log(`generating ${total.toLocaleString('en')} cases into ${base} (kept as a template for later runs)…`);
    const t0 = Date.now();
    await generateScaleData(url, { total, log });
    log(`  generated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    log(`reusing the generated database ${base} (--fresh regenerates it)`);
  }
  if (template !== base && (!(await exists(template)) || flag('--fresh'))) {
    log(`copying ${base} to ${template}…`);
    await dropDatabase(adminUrl, template);
    await createDatabase(adminUrl, template, { template: base });
  }
  // Bring the kept data up to the current schema once, as a real upgrade would (migrations and their backfills).
  const applied = await loadBootstrap().migrate(withDatabase(adminUrl, template), 'kept_app');
  if (applied.length) log(`  migrations applied to ${template}: ${applied.join(', ')}`);
  const name = `kept_scale_run_${process.pid}`;
  await dropDatabase(adminUrl, name);
  await createDatabase(adminUrl, name, { template });
  const ownerUrl = withDatabase(adminUrl, name);
  const { appDatabaseUrlFrom } = createRequire(import.meta.url)(`${root}/dist/apps/api/src/config/config.js`);
  return { ownerUrl, appUrl: appDatabaseUrlFrom(ownerUrl, 'kept_app'), drop: () => dropDatabase(adminUrl, name) };
}

/** Starts the real API (dist) on a free port; resolves when it listens. */
export async function startApi(ownerUrl, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/api/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: ownerUrl,
      PORT: String(port),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00',
      APP_DATABASE_PASSWORD: 'kept_app',
      LOG_LEVEL: 'warn',
      WORKER: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API exited with code ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (/listening on port/.test(String(chunk))) resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    /** Peak resident memory so far (VmHWM), MiB. */
    peakRssMiB: () => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : null;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export async function login(apiUrl, email, password = SCALE_PASSWORD) {
  const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`log-in as ${email} failed: ${res.status} ${await res.text()}`);
  return (await res.json()).accessToken;
}

/** Runs `fn` `warmup` times unmeasured, then `n` times in sequence; returns the durations (ms). */
export async function timeIt(fn, { n = 20, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return ms;
}

export function percentiles(ms) {
  const a = [...ms].sort((x, y) => x - y);
  const at = (p) => a[Math.min(a.length - 1, Math.max(0, Math.ceil(p * a.length) - 1))];
  const r = (x) => Math.round(x * 10) / 10;
  return { n: a.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(a[a.length - 1]) };
}

/** GET a JSON resource with a bearer token; throws on a non-2xx answer. */
export async function getJson(url, token) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

/** Runs `sql` as the runtime role inside a tenant transaction, like the API does. */
export async function asTenant(appUrl, tenantId, work) {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    return await work(async (text, params) => {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const r = await client.query(text, params);
      await client.query('COMMIT');
      return r.rows;
    });
  } finally {
    await client.end();
  }
}
