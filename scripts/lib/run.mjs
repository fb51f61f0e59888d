import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** The compiled API's bootstrap module (migrate, seedDemo); needs a build. */
export function loadBootstrap() {
  return createRequire(import.meta.url)(`${root}/dist/apps/api/src/database/bootstrap.js`);
}

/** DATABASE_URL, or exit with a clear message (for scripts that do not provide a server). */
export function requireDatabaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is required\n');
    process.exit(2);
  }
  return url;
}
