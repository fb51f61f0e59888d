#!/usr/bin/env node
// bench/alerts: schedules N alerts (default 10,000) due within one minute, run by 2 worker processes
// (`node dist/apps/api/src/worker.js`, exactly what `npm run worker` starts), and measures lateness
// (fired_at − due_at, both on the database clock), duplicates (an alert's "fired" event heard more
// than once on the live channel) and missed alerts (not fired 30 s after due).
//
// Three runs in one process, one database:
//   1. baseline — the engine's own minimal latency: graphile-worker no-op jobs at the same rate on two
//      worker processes with the same poll interval and concurrency (started − run_at);
//   2. alerts — the real fire_alert jobs;
//   3. kill — the same again, with one worker SIGKILLed mid-burst (while it holds a firing job) and
//      restarted at once: the alerts due and unfired when it died (in flight) are fired by the survivors
//      (the next firing job of the tenant, or the killed one's job once the heartbeat sweep releases it);
//      their lateness is reported separately.
//
// Usage: npm run bench:alerts [-- --alerts 10000 --window 60]   (DATABASE_URL, or an embedded PostgreSQL)
//        --window 0: every alert falls due at the same instant (a Monday opening on one calendar).
//        The workers' output (their warnings: a failed job and its error) goes to BENCH_WORKER_LOG (default: a temp file, named on start).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, dropDatabase, freePort, startEmbeddedPostgres, withDatabase } from '../../scripts/lib/database.mjs';
import { loadBootstrap, root } from '../../scripts/lib/run.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--alerts', 10_000);
const WINDOW_S = arg('--window', 60);
const LEAD_S = 15;
const WORKERS = 2;
const log = (m) => process.stderr.write(`${m}\n`);
// The workers' own logs (warnings: a failed job, its error), kept: BENCH_WORKER_LOG=<file> (default: a file in the OS temp dir).
const workerLogPath = process.env.BENCH_WORKER_LOG ?? path.join(tmpdir(), `kept-bench-workers-${process.pid}.log`);
const workerLog = createWriteStream(workerLogPath, { flags: 'a' });
log(`worker logs: ${workerLogPath}`);

const nx = createRequire(import.meta.url).resolve('nx/bin/nx.js', { paths: [root] });
log('building the API and worker…');
const build = spawnSync(process.execPath, [nx, 'run-many', '-t', 'build', '--projects=api,domain,contracts,forecast,history'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
});
if (build.status !== 0) throw new Error('build failed');

let embedded = null;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kept-bench-pg-'));
  embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false });
  embedded.dir = dir;
  adminUrl = embedded.url;
}
const dbName = `kept_bench_${process.pid}`;
await createDatabase(adminUrl, dbName);
const ownerUrl = withDatabase(adminUrl, dbName);
const { migrate } = loadBootstrap();
await migrate(ownerUrl, 'kept_app');
const { appDatabaseUrlFrom } = createRequire(import.meta.url)(`${root}/dist/apps/api/src/config/config.js`);
const appUrl = appDatabaseUrlFrom(ownerUrl, 'kept_app');

const db = new pg.Pool({ connectionString: ownerUrl, max: 4 });
const children = new Set();
const cleanup = async () => {
  for (const c of children) c.kill('SIGKILL');
  await db.end().catch(() => {});
  await dropDatabase(adminUrl, dbName).catch(() => {});
  if (embedded) {
    await embedded.stop();
    rmSync(embedded.dir, { recursive: true, force: true });
  }
};
process.on('SIGINT', () => cleanup().then(() => process.exit(130)));

try {
  const { rows: [tenant] } = await db.query(`INSERT INTO organizations (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
  const asTenant = async (work) => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } finally {
      client.release();
    }
  };
  const customer = await asTenant(async (c) => (await c.query(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Bench customer') RETURNING id`, [tenant.id])).rows[0]);
  // One policy: a breach alert on the promise, in-app only (the bench measures firing, not SMTP).
  const policy = await asTenant(async (c) => {
    await c.query(`UPDATE alert_policies SET active = false WHERE tenant_id = $1`, [tenant.id]);
    const { rows } = await c.query(
      `INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach, at_risk, channels, recipient_roles)
       VALUES ($1, 'Bench', 'promised', 'wall', '{}', '{}', true, false, '{in_app}', '{dispatcher}') RETURNING id`,
      [tenant.id],
    );
    return rows[0];
  });

  const workerEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: ownerUrl,
    APP_DATABASE_URL: appUrl,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    LOG_LEVEL: 'warn',
  };
  const startKeptWorker = () => startChild(['dist/apps/api/src/worker.js'], workerEnv, /Kept worker (\S+) running/);
  const startNoopWorker = () =>
    startChild([path.join(root, 'bench/alerts/noop-worker.mjs')], { ...workerEnv }, /noop worker (\S+) running/);

  // 1. Baseline: the engine's own latency for no-op jobs at the same rate.
  log(`baseline: ${N} no-op jobs within ${WINDOW_S} s on ${WORKERS} worker processes…`);
  await db.query(`CREATE TABLE bench_noop (job_key text PRIMARY KEY, run_at timestamptz NOT NULL, started_at timestamptz NOT NULL)`);
  const noops = await Promise.all(Array.from({ length: WORKERS }, startNoopWorker));
  const t0 = await scheduleNoops();
  await waitUntil(async () => (await count(`SELECT count(*) FROM bench_noop`)) >= N, t0 + (WINDOW_S + 60) * 1000);
  const baseline = await percentiles(`SELECT extract(epoch FROM started_at - run_at) * 1000 AS ms FROM bench_noop`);
  for (const w of noops) await stop(w);
  log(`  baseline p50=${baseline.p50} p95=${baseline.p95} p99=${baseline.p99} max=${baseline.max} ms`);

  // 2. Alerts, no kills.
  const listener = await listen();
  log(`alerts: ${N} alerts within ${WINDOW_S} s on ${WORKERS} worker processes…`);
  let workers = await Promise.all(Array.from({ length: WORKERS }, startKeptWorker));
  const run1 = await scheduleAlerts('run1');
  const plain = await collect('run1', run1, listener);
  log(`  alerts p50=${plain.p50} p95=${plain.p95} p99=${plain.p99} max=${plain.max} ms duplicates=${plain.duplicates} missed=${plain.missed}`);

  // 3. Alerts, one worker SIGKILLed mid-burst and restarted.
  log(`kill: ${N} alerts within ${WINDOW_S} s; worker ${workers[0].id} is SIGKILLed mid-burst and restarted…`);
  const run2 = await scheduleAlerts('run2');
  await sleepUntil(run2.firstDue + (WINDOW_S * 1000) / 2);
  const victim = workers[0];
  // Kill it at an instant when it holds a firing job (locked, possibly mid-transaction), polling for one.
  const holdsFiring = async (pool) =>
    (await db.query(
      `SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
        WHERE j.locked_by = $1 AND t.identifier IN ('fire_due_alerts', 'fire_alert')`,
      [pool],
    )).rowCount > 0;
  for (let tries = 0; tries < 2000 && !(await holdsFiring(victim.id)); tries++);
  victim.child.kill('SIGKILL');
  children.delete(victim.child);
  await new Promise((r) => victim.child.exitCode !== null || victim.child.signalCode ? r() : victim.child.once('exit', r));
  // In flight: alerts due by the kill and not fired when the killed worker was gone (its rolled-back batch,
  // and whatever else was due then): fired late by the survivors.
  const inFlight = (
    await db.query(`SELECT a.id FROM alerts a JOIN cases c ON c.id = a.case_id WHERE c.category = 'run2' AND a.state = 'pending' AND a.due_at <= now()`)
  ).rows.map((r) => r.id);
  workers = [workers[1], await startKeptWorker()];
  const killed = await collect('run2', run2, listener);
  const recovered = inFlight.length
    ? await percentiles(
        `SELECT extract(epoch FROM fired_at - due_at) * 1000 AS ms FROM alerts WHERE id = ANY($1::uuid[]) AND fired_at IS NOT NULL`,
        [inFlight],
      )
    : { max: 0, n: 0 };
  log(
    `  kill p50=${killed.p50} p99=${killed.p99} max=${killed.max} ms duplicates=${killed.duplicates} missed=${killed.missed}; ` +
      `${inFlight.length} in flight on the killed worker, recovered within ${recovered.max} ms of due`,
  );
  for (const w of workers) await stop(w);
  await listener.end();

  const ratio = (plain.p99 / Math.max(baseline.p99, 1)).toFixed(2);
  console.log(
    `kill-run p50_ms=${killed.p50} p99_ms=${killed.p99} max_ms=${killed.max} duplicates=${killed.duplicates} missed=${killed.missed} in_flight=${inFlight.length} in_flight_max_ms=${recovered.max}`,
  );
  console.log(`alerts_p99_over_baseline_p99=${ratio}`);
  console.log(
    `alerts p50_ms=${plain.p50} p95_ms=${plain.p95} p99_ms=${plain.p99} max_ms=${plain.max} duplicates=${plain.duplicates + killed.duplicates} missed=${plain.missed + killed.missed} baseline_p99_ms=${baseline.p99}`,
  );

  // --- helpers -----------------------------------------------------------------------------------
  async function scheduleNoops() {
    await db.query(
      `SELECT graphile_worker.add_job('noop', json_build_object('i', i), run_at := now() + make_interval(secs => $2 + random() * $3),
                                      max_attempts := 1, job_key := 'noop:' || i)
         FROM generate_series(1, $1) i`,
      [N, LEAD_S, WINDOW_S],
    );
    const { rows: [{ t }] } = await db.query(`SELECT extract(epoch FROM now()) * 1000 AS t`);
    return Number(t);
  }

  async function scheduleAlerts(tag) {
    await asTenant(async (client) => {
      await client.query(
        `WITH n AS (SELECT max(number) AS m FROM cases)
         INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, opened_at, promised_at, promise_version)
         SELECT $1, coalesce((SELECT m FROM n), 0) + i, $2, $3, 'normal', 'Bench case ' || i, now() - interval '1 hour',
                now() + make_interval(secs => $5 + random() * $6), 1
           FROM generate_series(1, $4) i`,
        [tenant.id, customer.id, tag, N, LEAD_S, WINDOW_S],
      );
      // The rows the planner writes for a breach rule; the trigger queues one job per alert.
      await client.query(
        `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, message, recipient_roles)
         SELECT $1, c.id, $2, 'breach', 'breach', 'promised', 1, 'high', c.promised_at, 'bench ' || c.number, '{dispatcher}'
           FROM cases c WHERE c.category = $3`,
        [tenant.id, policy.id, tag],
      );
    });
    const { rows: [r] } = await db.query(
      `SELECT extract(epoch FROM min(a.due_at)) * 1000 AS first, extract(epoch FROM max(a.due_at)) * 1000 AS last
         FROM alerts a JOIN cases c ON c.id = a.case_id WHERE c.category = $1`,
      [tag],
    );
    return { firstDue: Number(r.first), lastDue: Number(r.last) };
  }

  async function collect(tag, schedule, listener) {
    await sleepUntil(schedule.lastDue + 30_000, async () => (await count(
      `SELECT count(*) FROM alerts a JOIN cases c ON c.id = a.case_id WHERE c.category = '${tag}' AND a.state = 'pending'`,
    )) === 0);
    const p = await percentiles(
      `SELECT extract(epoch FROM a.fired_at - a.due_at) * 1000 AS ms FROM alerts a JOIN cases c ON c.id = a.case_id
        WHERE c.category = $1 AND a.fired_at IS NOT NULL`,
      [tag],
    );
    const missed = await count(
      `SELECT count(*) FROM alerts a JOIN cases c ON c.id = a.case_id
        WHERE c.category = '${tag}' AND (a.fired_at IS NULL OR a.fired_at > a.due_at + interval '30 seconds')`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const { rows } = await db.query(`SELECT a.id FROM alerts a JOIN cases c ON c.id = a.case_id WHERE c.category = $1`, [tag]);
    let duplicates = 0;
    for (const { id } of rows) duplicates += Math.max(0, (listener.heard.get(id) ?? 0) - 1);
    return { ...p, missed, duplicates };
  }

  async function listen() {
    const client = new pg.Client({ connectionString: ownerUrl });
    client.on('error', () => {});
    await client.connect();
    const heard = new Map();
    client.on('notification', (msg) => {
      // `<hex HMAC>.<json>` (apps/api/src/modules/events/event-signature.ts): the JSON after the signature.
      const e = JSON.parse(msg.payload.slice(msg.payload.indexOf('.') + 1));
      if (e.event.type === 'alert' && e.event.alert.state === 'fired') heard.set(e.event.alert.id, (heard.get(e.event.alert.id) ?? 0) + 1);
    });
    await client.query('LISTEN kept_events');
    return { heard, end: () => client.end() };
  }

  async function percentiles(text, params = []) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::int AS p50,
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms))::int AS p95,
              round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::int AS p99,
              round(max(ms))::int AS max
         FROM (${text}) x`,
      params,
    );
    return rows[0];
  }

  async function count(text) {
    const { rows } = await db.query(text);
    return Number(rows[0].count);
  }
} catch (err) {
  log(`bench failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

function startChild(args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.on('data', (d) => workerLog.write(d));
    children.add(child);
    let out = '';
    child.stdout.on('data', (d) => {
      workerLog.write(d);
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, id: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${out}`)));
  });
}

async function stop(w) {
  children.delete(w.child);
  await new Promise((resolve) => {
    w.child.once('exit', resolve);
    w.child.kill('SIGTERM');
  });
}

async function waitUntil(probe, deadline) {
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function sleepUntil(at, done) {
  while (Date.now() < at) {
    if (done && (await done())) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
