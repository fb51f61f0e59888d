// Worker thread entry: builds one tenant's forecast model off the API's event loop and posts it back by
// structured clone. It reads PostgreSQL with a client of its own, as the runtime role, in one read-only
// snapshot transaction scoped to the tenant (RLS applies as in a request).
//
// The model goes back in slices, one per request of the API thread: a big tenant's model has tens of
// thousands of segments whose clone, received at once, would block the API's event loop for ≈300 ms.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { splitModel } from '@kept/forecast';
import { sqlClientOf } from '@kept/history';
import { Client } from 'pg';
import { buildModel } from './model-build';

export interface ModelBuildJob {
  databaseUrl: string;
  tenantId: string;
  nowMs: number;
}

/** Segments per message: each clone then takes a few milliseconds on the receiving thread. */
export const SEGMENTS_PER_SLICE = 1000;

export type ModelBuildMessage =
  | { kind: 'head'; built: import('./model-build').BuiltModel; segments: number }
  | { kind: 'segments'; segments: unknown[] }
  | { kind: 'failed'; error: string };

async function run(job: ModelBuildJob): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('model-build.worker runs as a worker thread');
  const client = new Client({ connectionString: job.databaseUrl, application_name: 'kept-forecast-build' });
  await client.connect();
  let built;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [job.tenantId]);
    built = await buildModel(sqlClientOf((t, p) => client.query(t, p)), job.tenantId, new Date(job.nowMs));
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  const { shell, segments } = splitModel(built.model);
  let next = 0;
  // The API thread asks for each slice once it has taken the previous one in.
  port.on('message', () => {
    const slice = segments.slice(next, next + SEGMENTS_PER_SLICE);
    next += slice.length;
    port.postMessage({ kind: 'segments', segments: slice } satisfies ModelBuildMessage);
  });
  port.postMessage({ kind: 'head', built: { ...built, model: shell }, segments: segments.length } satisfies ModelBuildMessage);
}

// Below the API thread's priority (on Linux, pid 0 is this thread only): when the cores are busy the
// scheduler serves requests first and the build takes the spare time. Lowering needs no privilege.
try {
  setPriority(0, 10);
} catch {
  // Not supported here: the build runs at normal priority.
}

run(workerData as ModelBuildJob).catch((err: unknown) => {
  parentPort?.postMessage({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ModelBuildMessage);
});
