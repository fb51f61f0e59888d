#!/usr/bin/env node
// `npm start`: builds what is stale, provides PostgreSQL (DATABASE_URL, or an embedded one in
// .kept/pgdata), runs migrations, loads the demo tenant once, then serves the API and the web app.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, freePort, serverCanUse, signal, StartError, startEmbeddedPostgres, withDatabase } from './lib/database.mjs';
import { startMailCapture } from './lib/mail-capture.mjs';
import { loadBootstrap, root, run } from './lib/run.mjs';

const started = Date.now();
const say = (m) => process.stdout.write(`[kept] ${m}\n`);
const stateDir = path.join(root, '.kept');
mkdirSync(stateDir, { recursive: true });
const cleanups = [];

let stopping;
/**
 * Stops everything once, in order — the API (and its worker) first, then the mail server and the
 * embedded PostgreSQL — whoever asks first (a signal, or the API ending by itself), and exits with `code`.
 * The API and PostgreSQL run in their own process groups, so a Ctrl-C at the terminal reaches only this
 * script: nothing is killed under a running request, and one Ctrl-C ends with exit code 0.
 */
function shutdown(code) {
  stopping ??= (async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => {
  if (!stopping) say('stopping…');
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  if (process.env.KEPT_NO_BUILD !== '1') {
    say('building (cached by Nx when nothing changed)…');
    const code = await run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream'], {
      cwd: root,
      env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
    });
    if (code !== 0) throw new Error('build failed');
  }

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.KEPT_PG_PORT ?? 54329);
    let dataDir = path.join(stateDir, 'pgdata');
    if (!serverCanUse(dataDir)) {
      // As root PostgreSQL runs as the OS user postgres, who cannot enter a private checkout (e.g. under
      // /root, mode 0700): its data then lives in a folder of the temporary directory, one per checkout.
      const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
      dataDir = path.join(os.tmpdir(), `kept-${id}`, 'pgdata');
      mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
      say(`the PostgreSQL user cannot enter ${root}: its data goes to ${dataDir}`);
    }
    say(`no DATABASE_URL: starting the embedded PostgreSQL on port ${port} (data in ${path.relative(root, dataDir).startsWith('..') ? dataDir : path.relative(root, dataDir)})…`);
    const server = await startEmbeddedPostgres({ dir: dataDir, port }).catch((err) => {
      if (err instanceof StartError) throw err;
      throw new StartError(`The embedded PostgreSQL did not start on port ${port} (${err?.message ?? err ?? 'no reason given'}); is the port taken? Set KEPT_PG_PORT, or DATABASE_URL to use your own server.`);
    });
    cleanups.push(() => server.stop());
    // Whatever ends this process (an error, another library's exit hook), the server goes too.
    process.on('exit', () => signal(server.pid, 'SIGINT'));
    await createDatabase(server.url, 'kept');
    databaseUrl = withDatabase(server.url, 'kept');
  }

  const bootstrap = loadBootstrap();
  const appPassword = process.env.APP_DATABASE_PASSWORD ?? 'kept_app';
  const ran = await bootstrap.migrate(databaseUrl, appPassword);
  say(ran.length ? `migrations applied: ${ran.join(', ')}` : 'database schema is up to date');
  if (process.env.KEPT_DEMO !== '0') {
    const seeded = await bootstrap.seedDemo(databaseUrl);
    say(seeded.created ? `demo tenant created with ${seeded.cases} cases` : 'demo tenant already present');
  }

  let smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    const mailDir = path.join(stateDir, 'mail');
    const capture = await startMailCapture({
      dir: mailDir,
      port: Number(process.env.KEPT_SMTP_PORT ?? (await freePort())),
      log: process.env.KEPT_MAIL_LOG === '1' ? (m) => say(m) : () => {},
    });
    cleanups.push(() => capture.stop());
    smtpUrl = capture.url;
    say(`no SMTP_URL: alert e-mails go to a local SMTP server at ${smtpUrl} and are kept in .kept/mail`);
  }

  const secretFile = path.join(stateDir, 'jwt-secret');
  if (!process.env.JWT_SECRET && !existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const port = process.env.PORT ?? '3000';
  const api = spawn(process.execPath, [path.join(root, 'dist/apps/api/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      APP_DATABASE_PASSWORD: appPassword,
      PORT: port,
      JWT_SECRET: process.env.JWT_SECRET ?? readFileSync(secretFile, 'utf8').trim(),
      WEB_DIST: process.env.WEB_DIST ?? path.join(root, 'apps/web/dist'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      SMTP_URL: smtpUrl,
      PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group: a Ctrl-C reaches this script only, which then stops the API first (SIGTERM).
    detached: true,
  });
  const apiGone = () => api.exitCode !== null || api.signalCode !== null;
  cleanups.push(
    () =>
      new Promise((resolve) => {
        // Already gone (exited, or killed — then exitCode stays null and signalCode tells): nothing to wait for.
        if (apiGone()) return resolve();
        const force = setTimeout(() => api.kill('SIGKILL'), 15_000);
        api.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        api.kill('SIGTERM');
      }),
  );
  process.on('exit', () => {
    if (!apiGone()) signal(api.pid, 'SIGTERM');
  });
  api.on('exit', (code, sig) => {
    if (stopping) return; // asked to stop: the API's end is expected
    say(`the API stopped by itself (${sig ? `signal ${sig}` : `exit code ${code}`}); stopping the rest`);
    void shutdown(code || 1);
  });
  let ready = false;
  api.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const match = !ready && /Kept API listening on port (\d+)/.exec(String(chunk));
    if (match) {
      ready = true;
      const url = `http://localhost:${match[1]}`;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        [
          '',
          `Kept is ready at ${url}  (started in ${seconds} s)`,
          `  API:      ${url}/api/v1   OpenAPI: ${url}/api/docs`,
          `  Demo logins (password "kept-demo"): admin@, manager@, dispatcher@, engineer@, viewer@demo.kept.test`,
          '',
        ].join('\n') + '\n',
      );
    }
  });
}

main().catch(async (err) => {
  // A known cause gets one sentence; only an unexpected failure shows its stack.
  process.stderr.write(`[kept] start failed: ${err instanceof StartError ? err.message : (err?.stack ?? err)}\n`);
  await shutdown(1);
});
