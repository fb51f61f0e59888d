import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { PRIORITIES, type HistoryMapping, type ImportResponse } from '@kept/contracts';
import { parseMapping, readHistory, type HistoryRecord, type RejectedRow } from './reader';

/**
 * The least a database client must offer the importer: run one statement, get its rows. Adapters: a
 * node-postgres client `(t, p) => c.query(t, p).then((r) => r.rows)`, a TypeORM manager `(t, p) => m.query(t, p)`.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * Adapts any driver's query function: node-postgres results (`{ rows }`), TypeORM's row arrays, and
 * TypeORM's `[rows, affected]` pairs for UPDATE/DELETE … RETURNING all become plain row arrays.
 */
export function sqlClientOf(run: (text: string, params?: unknown[]) => Promise<unknown>): SqlClient {
  return {
    async query(text, params) {
      const r = await run(text, params);
      if (Array.isArray(r)) {
        if (r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number') return r[0] as Record<string, unknown>[];
        return r as Record<string, unknown>[];
      }
      if (r && typeof r === 'object' && Array.isArray((r as { rows?: unknown }).rows)) return (r as { rows: Record<string, unknown>[] }).rows;
      return [];
    },
  };
}

export interface ImportOptions {
  /** Organization id; the caller has bound the transaction to it (`set_config('app.tenant_id', …, true)`). */
  tenantId: string;
  fileName: string;
  /** Reject the whole file when any row is invalid. The caller must then roll back its transaction. */
  strict?: boolean;
  createdBy?: string;
  batchSize?: number;
  onProgress?(bytes: number): void;
}

/** Thrown in strict mode when rows were rejected: nothing of the file may be kept (roll back). */
export class StrictImportError extends Error {
  constructor(readonly result: ImportResponse) {
    super(`${result.rejected} row(s) rejected in strict mode: nothing was imported (first: line ${result.rejectedRows[0]?.line}: ${result.rejectedRows[0]?.reason})`);
    this.name = 'StrictImportError';
  }
}

const NO_CUSTOMER = 'Imported history (no customer)';
/** Rejected rows kept in import_batches.rejected_rows (all of them are returned to the caller). */
const STORED_REJECTIONS = 10_000;

type Priority = (typeof PRIORITIES)[number];

function priorityOf(raw: string | undefined, mapping: HistoryMapping): Priority {
  if (raw === undefined) return 'normal';
  const mapped = mapping.priorityMap[raw];
  if (mapped) return mapped;
  const lower = raw.toLowerCase();
  return (PRIORITIES as readonly string[]).includes(lower) ? (lower as Priority) : 'normal';
}

/**
 * Imports a history file into the cases of one tenant, in the caller's transaction. Idempotent: each row
 * gets an `external_ref` (the mapped external id, else `sha:` + a hash of the row), unique per tenant,
 * so importing the same file twice inserts nothing the second time. Customers and sites are found or
 * created by name. Rows are inserted in batches of `batchSize` with one statement each.
 */
export async function importHistory(db: SqlClient, source: Readable, mappingInput: HistoryMapping | unknown, options: ImportOptions): Promise<ImportResponse> {
  const mapping = parseMapping(mappingInput);
  const strict = options.strict ?? false;
  const batchSize = options.batchSize ?? 1000;
  const sha = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _e, cb) {
      sha.update(chunk);
      cb(null, chunk);
    },
  });
  source.on('error', (e) => hashing.destroy(e));
  source.pipe(hashing);

  const [batch] = await db.query(
    `INSERT INTO import_batches (tenant_id, file_name, mapping, strict, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [options.tenantId, options.fileName.slice(0, 500), JSON.stringify(mapping), strict, options.createdBy ?? null],
  );
  const batchId = batch.id as string;
  const customers = new Map<string, string>();
  const sites = new Map<string, string>();
  const rejectedRows: RejectedRow[] = [];
  let pending: HistoryRecord[] = [];
  let inserted = 0;
  let alreadyPresent = 0;

  const resolveCustomers = async (names: string[]) => {
    const missing = [...new Set(names)].filter((n) => !customers.has(n));
    if (missing.length === 0) return;
    const found = await db.query(`SELECT DISTINCT ON (name) id, name FROM customers WHERE tenant_id = $1 AND name = ANY($2::text[]) ORDER BY name, created_at`, [options.tenantId, missing]);
    for (const r of found) customers.set(r.name as string, r.id as string);
    const toCreate = missing.filter((n) => !customers.has(n));
    if (toCreate.length) {
      const created = await db.query(`INSERT INTO customers (tenant_id, name) SELECT $1, unnest($2::text[]) RETURNING id, name`, [options.tenantId, toCreate]);
      for (const r of created) customers.set(r.name as string, r.id as string);
    }
  };

  const resolveSites = async (pairs: [string, string, string | null][]) => {
    const missing = new Map<string, [string, string, string | null]>();
    for (const p of pairs) {
      const key = `${p[0]}\u0001${p[1]}`;
      if (!sites.has(key)) missing.set(key, p);
    }
    if (missing.size === 0) return;
    const list = [...missing.values()];
    const found = await db.query(
      `SELECT DISTINCT ON (customer_id, name) id, customer_id, name FROM sites WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[]) AND name = ANY($3::text[]) ORDER BY customer_id, name, created_at`,
      [options.tenantId, list.map((p) => p[0]), list.map((p) => p[1])],
    );
    for (const r of found) sites.set(`${r.customer_id}\u0001${r.name}`, r.id as string);
    const toCreate = list.filter((p) => !sites.has(`${p[0]}\u0001${p[1]}`));
    if (toCreate.length) {
      const created = await db.query(
        `INSERT INTO sites (tenant_id, customer_id, name, region, time_zone)
         SELECT $1, c, n, r, $5 FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(c, n, r) RETURNING id, customer_id, name`,
        [options.tenantId, toCreate.map((p) => p[0]), toCreate.map((p) => p[1]), toCreate.map((p) => p[2]), mapping.zone],
      );
      for (const r of created) sites.set(`${r.customer_id}\u0001${r.name}`, r.id as string);
    }
  };

  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    await resolveCustomers(rows.map((r) => r.customer ?? NO_CUSTOMER));
    if (mapping.columns.site !== undefined) {
      await resolveSites(rows.filter((r) => r.site !== undefined).map((r) => [customers.get(r.customer ?? NO_CUSTOMER) as string, r.site as string, r.region ?? null]));
    }
    // Numbers from the tenant's case-number sequence (bound by app.tenant_id), like the API's creates.
    const [reserved] = await db.query(`SELECT kept_reserve_case_numbers($1::int) AS numbers`, [rows.length]);
    const numbers = (reserved?.numbers ?? []) as number[];
    if (numbers.length !== rows.length) throw new Error(`organization ${options.tenantId}: no case numbers reserved`);
    const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
    const cols = {
      number: [] as number[],
      customer: [] as string[],
      site: [] as (string | null)[],
      category: [] as string[],
      priority: [] as string[],
      summary: [] as string[],
      status: [] as string[],
      opened: [] as (string | null)[],
      required: [] as (string | null)[],
      promised: [] as (string | null)[],
      fixed: [] as (string | null)[],
      satisfied: [] as (string | null)[],
      ref: [] as string[],
      region: [] as (string | null)[],
      segments: [] as string[],
    };
    rows.forEach((r, i) => {
      const customerId = customers.get(r.customer ?? NO_CUSTOMER) as string;
      // Done for the customer = satisfied, else fixed, else closed (as `kept evaluate` reads the file): a
      // close after a recorded fix (an automatic close days later) is not her satisfaction.
      const fixed = r.fixedAt ?? r.closedAt ?? r.satisfiedAt;
      const satisfied = r.satisfiedAt ?? (r.fixedAt === undefined ? r.closedAt : undefined);
      cols.number.push(numbers[i] as number);
      cols.customer.push(customerId);
      cols.site.push(r.site !== undefined ? (sites.get(`${customerId}\u0001${r.site}`) ?? null) : null);
      cols.category.push((r.category ?? 'uncategorized').slice(0, 100));
      cols.priority.push(priorityOf(r.priority, mapping));
      cols.summary.push(`Imported from ${options.fileName.split(/[\\/]/).pop()} line ${r.line}${r.externalId ? ` (${r.externalId})` : ''}`.slice(0, 500));
      cols.status.push(r.cancelled ? 'cancelled' : satisfied !== undefined ? 'satisfied' : fixed !== undefined ? 'fixed' : 'open');
      cols.opened.push(iso(r.createdAt));
      cols.required.push(iso(r.requiredAt));
      cols.promised.push(iso(r.promisedAt));
      cols.fixed.push(iso(fixed));
      cols.satisfied.push(iso(satisfied));
      cols.ref.push(r.externalId !== undefined ? `id:${r.externalId}` : `sha:${r.contentHash}`);
      cols.region.push(r.region ?? null);
      // The mapping's extra segment columns (queue, department, seller …), for the model's level choice.
      cols.segments.push(JSON.stringify(r.segments ?? {}));
    });
    const insertedRows = await db.query(
      `INSERT INTO cases (tenant_id, number, customer_id, site_id, category, priority, summary, status, opened_at, required_at,
                          promised_at, fixed_at, satisfied_at, promise_version, external_ref, region, import_batch_id, segments)
       SELECT $1, t.number, t.customer, t.site, t.category, t.priority, t.summary, t.status, t.opened, t.required,
              t.promised, t.fixed, t.satisfied, CASE WHEN t.promised IS NULL THEN 0 ELSE 1 END, t.ref, t.region, $16, t.segments
       FROM unnest($2::int[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[],
                   $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[], $17::jsonb[])
            AS t(number, customer, site, category, priority, summary, status, opened, required, promised, fixed, satisfied, ref, region, segments)
       ON CONFLICT (tenant_id, external_ref) WHERE external_ref IS NOT NULL DO NOTHING
       RETURNING id, promised_at`,
      [
        options.tenantId,
        cols.number,
        cols.customer,
        cols.site,
        cols.category,
        cols.priority,
        cols.summary,
        cols.status,
        cols.opened,
        cols.required,
        cols.promised,
        cols.fixed,
        cols.satisfied,
        cols.ref,
        cols.region,
        batchId,
        cols.segments,
      ],
    );
    inserted += insertedRows.length;
    alreadyPresent += rows.length - insertedRows.length;
    const promised = insertedRows.filter((r) => r.promised_at !== null);
    if (promised.length) {
      await db.query(
        `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason)
         SELECT $1, c, 1, p, 'imported' FROM unnest($2::uuid[], $3::timestamptz[]) AS t(c, p)`,
        [options.tenantId, promised.map((r) => r.id), promised.map((r) => r.promised_at)],
      );
    }
  };

  const summary = await readHistory(hashing, mapping, {
    async onRecord(r) {
      if (strict && rejectedRows.length > 0) return; // the file is lost anyway: stop writing
      pending.push(r);
      if (pending.length >= batchSize) await flush();
    },
    onReject(r) {
      rejectedRows.push(r);
    },
    onProgress: options.onProgress,
  });
  if (!(strict && rejectedRows.length > 0)) await flush();

  const result: ImportResponse = {
    batchId,
    fileSha256: sha.digest('hex'),
    rows: summary.rows,
    inserted: strict && rejectedRows.length > 0 ? 0 : inserted,
    alreadyPresent: strict && rejectedRows.length > 0 ? 0 : alreadyPresent,
    rejected: rejectedRows.length,
    rejectedRows,
    strict,
  };
  if (strict && rejectedRows.length > 0) throw new StrictImportError(result);
  await db.query(
    `UPDATE import_batches SET status = 'completed', file_sha256 = $2, rows = $3, inserted = $4, already_present = $5, rejected = $6,
            rejected_rows = $7, finished_at = now() WHERE id = $1`,
    [batchId, result.fileSha256, result.rows, result.inserted, result.alreadyPresent, result.rejected, JSON.stringify(rejectedRows.slice(0, STORED_REJECTIONS))],
  );
  return result;
}
