#!/usr/bin/env node
// `npm run seed`: loads the demo tenant into DATABASE_URL once (no-op when it exists).
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './lib/run.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is required\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { seedDemo } = require(path.join(root, 'dist/apps/api/src/database/bootstrap.js'));
const result = await seedDemo(url);
process.stdout.write(result.created ? `demo tenant created with ${result.cases} cases\n` : 'demo tenant already present\n');
