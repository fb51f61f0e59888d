#!/usr/bin/env node
// `npm test`: provides a real PostgreSQL (DATABASE_URL when set, otherwise an embedded one), builds,
// prepares a migrated template database, runs typecheck, lint and every project's tests through Nx,
// then the browser end-to-end tests, and prints the totals as `N passed, N failed`.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase, freePort, startEmbeddedPostgres, withDatabase } from './lib/database.mjs';
import { loadBootstrap, root, run } from './lib/run.mjs';

const say = (m) => process.stdout.write(`[test] ${m}\n`);
const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', TZ: 'UTC', FORCE_COLOR: '0' };
const resultsDir = path.join(root, 'test-output', 'jest');
let stopServer = async () => {};
let template;
let adminUrl = process.env.DATABASE_URL;

async function main() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const failures = [];

  if (!adminUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-test-pg-'));
    chmodSync(dir, 0o755); // as root the server runs as the OS user postgres, which must reach the folder
    const port = await freePort();
    say(`no DATABASE_URL: starting an embedded PostgreSQL on port ${port}`);
    const server = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port, persistent: false });
    stopServer = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    adminUrl = server.url;
  }

  say('building');
  if ((await run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream'], { cwd: root, env })) !== 0) {
    throw new Error('build failed');
  }

  template = `kept_template_${process.pid}`;
  await dropDatabase(adminUrl, template);
  await createDatabase(adminUrl, template);
  const bootstrap = loadBootstrap();
  await bootstrap.migrate(withDatabase(adminUrl, template), 'kept_app');
  say(`template database ${template} migrated`);

  const testEnv = { ...env, DATABASE_URL: adminUrl, KEPT_TEST_TEMPLATE: template, KEPT_JEST_RESULTS: resultsDir };
  if ((await run('npx', ['nx', 'run-many', '-t', 'typecheck', 'lint', '--outputStyle=stream'], { cwd: root, env: testEnv })) !== 0) {
    failures.push('typecheck/lint');
  }
  if ((await run('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', '--parallel=1'], { cwd: root, env: testEnv })) !== 0) {
    failures.push('unit/integration tests');
  }
  if ((await run('npx', ['nx', 'run-many', '-t', 'e2e', '--outputStyle=stream', '--parallel=1'], { cwd: root, env: testEnv })) !== 0) {
    failures.push('browser end-to-end tests');
  }

  let passed = 0;
  let failed = 0;
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('.json'))) {
    const result = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  }
  if (failures.length && failed === 0) failed = failures.length;
  if (failures.length) say(`failed: ${failures.join(', ')}`);
  return { passed, failed };
}

let totals = { passed: 0, failed: 1 };
try {
  totals = await main();
} catch (err) {
  process.stderr.write(`[test] ${err?.stack ?? err}\n`);
} finally {
  if (template && adminUrl) await dropDatabase(adminUrl, template).catch(() => undefined);
  await stopServer().catch(() => undefined);
}
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed === 0 ? 0 : 1);
