#!/usr/bin/env node
// `npm run migrate`: applies pending migrations to DATABASE_URL (the owning role) and sets the
// runtime role's password. Expects a build (dist/).
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './lib/run.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is required\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { migrate } = require(path.join(root, 'dist/apps/api/src/database/bootstrap.js'));
const ran = await migrate(url, process.env.APP_DATABASE_PASSWORD ?? 'kept_app');
process.stdout.write(ran.length ? `applied: ${ran.join(', ')}\n` : 'schema is up to date\n');
