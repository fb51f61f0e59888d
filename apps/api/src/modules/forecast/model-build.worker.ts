// Worker thread entry: builds one tenant's forecast model off the API's event loop and posts it back by
// structured clone. It reads PostgreSQL with a client of its own, as the runtime role, in one read-only
// snapshot transaction scoped to the tenant (RLS applies as in a request).
import { parentPort, workerData } from 'node:worker_threads';
import { sqlClientOf } from '@kept/history';
import { Client } from 'pg';
import { buildModel } from './model-build';

export interface ModelBuildJob {
  databaseUrl: string;
  tenantId: string;
  nowMs: number;
}

async function run(job: ModelBuildJob): Promise<void> {
  const client = new Client({ connectionString: job.databaseUrl, application_name: 'kept-forecast-build' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [job.tenantId]);
    const built = await buildModel(sqlClientOf((t, p) => client.query(t, p)), job.tenantId, new Date(job.nowMs));
    await client.query('COMMIT');
    parentPort?.postMessage({ ok: true, built });
  } finally {
    await client.end();
  }
}

run(workerData as ModelBuildJob).catch((err: unknown) => {
  parentPort?.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
