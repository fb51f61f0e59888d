#!/usr/bin/env node
// `npm run migrate`: applies pending migrations to DATABASE_URL (the owning role) and sets the
// runtime role's password. Expects a build (dist/).
import { loadBootstrap, requireDatabaseUrl } from './lib/run.mjs';

// The runtime role's password has a default only outside production (`npm start`, tests, benchmarks).
if (!process.env.APP_DATABASE_PASSWORD && process.env.NODE_ENV === 'production') {
  process.stderr.write('error: APP_DATABASE_PASSWORD is required in production (the password of the runtime role kept_app)\n');
  process.exit(2);
}
const ran = await loadBootstrap().migrate(requireDatabaseUrl(), process.env.APP_DATABASE_PASSWORD ?? 'kept_app');
process.stdout.write(ran.length ? `applied: ${ran.join(', ')}\n` : 'schema is up to date\n');
