import { createReadStream, statSync } from 'node:fs';
import { Client } from 'pg';
import { importHistory, sqlClientOf, StrictImportError } from '@kept/history';
import type { ImportResponse } from '@kept/contracts';
import { progress } from '../progress';
import { readMapping } from './evaluate';

export interface ImportCommandOptions {
  mapping: string;
  tenant?: string;
  strict?: boolean;
  json?: boolean;
  progress?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds the organization: by id, else by exact name or slug; alone in the database when not given. */
export async function resolveTenant(client: Client, tenant: string | undefined): Promise<{ id: string; name: string }> {
  const { rows } = await client.query<{ id: string; name: string; slug: string }>('SELECT id, name, slug FROM organizations ORDER BY created_at');
  if (tenant === undefined) {
    if (rows.length === 1) return rows[0];
    throw new Error(rows.length === 0 ? 'the database has no organization: create one first (npm run seed, or the API)' : `several organizations: choose one with --tenant (${rows.map((r) => `"${r.name}"`).join(', ')})`);
  }
  const found = rows.filter((r) => (UUID.test(tenant) && r.id === tenant.toLowerCase()) || r.name === tenant || r.slug === tenant);
  if (found.length === 1) return found[0];
  throw new Error(found.length ? `--tenant "${tenant}" matches several organizations: use the id` : `no organization "${tenant}" (known: ${rows.map((r) => `"${r.name}"`).join(', ')})`);
}

export async function runImport(file: string, o: ImportCommandOptions, out: (l: string) => void = (l) => process.stdout.write(`${l}\n`), err: (l: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<ImportResponse> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (the owning role, e.g. postgres://postgres@127.0.0.1:5432/kept)');
  const mapping = readMapping(o.mapping);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  const bar = progress(o.progress ?? process.stderr.isTTY === true);
  try {
    const tenant = await resolveTenant(client, o.tenant);
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
    bar.start(size, 'importing');
    let result: ImportResponse;
    try {
      result = await importHistory(sqlClientOf((t, p) => client.query(t, p)), createReadStream(file, { highWaterMark: 1 << 20 }), mapping, {
        tenantId: tenant.id,
        fileName: file,
        strict: o.strict,
        onProgress: (b) => bar.update(b),
      });
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      bar.stop();
      if (e instanceof StrictImportError) {
        for (const r of e.result.rejectedRows) err(`${file}:${r.line}: ${r.reason}`);
        if (o.json) out(JSON.stringify({ ...e.result, status: 'rejected' }));
      }
      throw e;
    }
    bar.stop();
    for (const r of result.rejectedRows) err(`${file}:${r.line}: ${r.reason}`);
    out(`imported ${file} into "${tenant.name}": ${result.rows} rows, ${result.inserted} new cases, ${result.alreadyPresent} already present, ${result.rejected} rejected (batch ${result.batchId}, sha256 ${result.fileSha256.slice(0, 12)}…)`);
    if (o.json) out(JSON.stringify({ ...result, status: 'completed' }));
    return result;
  } finally {
    bar.stop();
    await client.end();
  }
}
