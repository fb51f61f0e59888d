#!/usr/bin/env node
// How much memory a tenant's forecast model takes: builds it in this process (as the worker would) from a
// generated scale database and measures the heap and array buffers it keeps, first as built, then with every
// segment's curve computed once (what answering grows it to), against ForecastModel.approximateBytes().
//
// Usage (after a bench run generated the template and `nx run-many -t build` built dist/):
//   node --expose-gc bench/model/model-memory.mjs postgres://postgres@127.0.0.1:5432/kept_scale_1000000_v1 [scale-big]
// (a superuser URL: it reads one tenant's rows by tenant_id, as the build does.)
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const { buildModel } = require(path.join(root, 'dist/apps/api/src/modules/forecast/model-build.js'));
const { sqlClientOf } = require('@kept/history');
const [url, slug = 'scale-big'] = process.argv.slice(2);
if (!url || typeof gc !== 'function') throw new Error('usage: node --expose-gc bench/model/model-memory.mjs DATABASE_URL [tenant-slug]');
const mib = (b) => (b / 1048576).toFixed(1);
const used = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const tenantId = (await client.query('SELECT id FROM organizations WHERE slug = $1', [slug])).rows[0].id;
  const before = used();
  const t0 = Date.now();
  const built = await buildModel(sqlClientOf((t, p) => client.query(t, p)), tenantId, new Date());
  const ms = Date.now() - t0;
  const asBuilt = used() - before;
  for (let id = 0; id < built.model.segmentCount; id++) built.model.probabilityAt(id, 3_600_000);
  const answered = used() - before;
  process.stdout.write(
    `model ${slug} cases=${built.cases} segments=${built.model.segmentCount} build_ms=${ms} as_built_mib=${mib(asBuilt)} ` +
      `every_curve_computed_mib=${mib(answered)} approximate_mib=${mib(built.model.approximateBytes())}\n`,
  );
} finally {
  await client.end();
}
