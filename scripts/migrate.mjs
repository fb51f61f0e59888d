#!/usr/bin/env node
// `npm run migrate`: applies pending migrations to DATABASE_URL (the owning role) and sets the
// runtime role's password. Expects a build (dist/).
import { loadBootstrap, requireDatabaseUrl } from './lib/run.mjs';

const ran = await loadBootstrap().migrate(requireDatabaseUrl(), process.env.APP_DATABASE_PASSWORD ?? 'kept_app');
process.stdout.write(ran.length ? `applied: ${ran.join(', ')}\n` : 'schema is up to date\n');
