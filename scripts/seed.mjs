#!/usr/bin/env node
// `npm run seed`: loads the demo tenant into DATABASE_URL once (no-op when it exists).
import { loadBootstrap, requireDatabaseUrl } from './lib/run.mjs';

const result = await loadBootstrap().seedDemo(requireDatabaseUrl());
process.stdout.write(result.created ? `demo tenant created with ${result.cases} cases\n` : 'demo tenant already present\n');
