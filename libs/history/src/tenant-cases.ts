import type { SqlClient } from './importer';

/** A case as the forecast model needs it, read back from the cases table. */
export interface StoredCase {
  id: string;
  openedAt: number;
  /** Satisfied, else fixed; undefined while open. */
  doneAt?: number;
  promisedAt?: number;
  category: string;
  priority: string;
  region?: string;
  customerId: string;
  contractId?: string;
  cancelled: boolean;
  /** Extra segment values by name (cases.segments: queue, department, …). */
  segments: Record<string, string>;
}

/**
 * Streams every case of a tenant in opening order, in pages (keyset pagination, never the whole table
 * in one result). The caller's transaction must be bound to the tenant (RLS) or run as the owner.
 */
export async function forEachTenantCase(db: SqlClient, tenantId: string, onCase: (c: StoredCase) => void, pageSize = 20_000): Promise<number> {
  let after: [string, string] | null = null;
  let count = 0;
  for (;;) {
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT c.id, c.opened_at, coalesce(c.satisfied_at, c.fixed_at) AS done_at, c.promised_at, c.category, c.priority,
              coalesce(c.region, s.region) AS region, c.customer_id, c.contract_id, c.status = 'cancelled' AS cancelled,
              c.segments
       FROM cases c LEFT JOIN sites s ON s.id = c.site_id
       WHERE c.tenant_id = $1 ${after ? 'AND (c.opened_at, c.id) > ($3::timestamptz, $4::uuid)' : ''}
       ORDER BY c.opened_at, c.id LIMIT $2`,
      after ? [tenantId, pageSize, after[0], after[1]] : [tenantId, pageSize],
    );
    for (const r of rows) {
      const opened = r.opened_at as Date;
      onCase({
        id: r.id as string,
        openedAt: opened.getTime(),
        doneAt: r.done_at ? (r.done_at as Date).getTime() : undefined,
        promisedAt: r.promised_at ? (r.promised_at as Date).getTime() : undefined,
        category: r.category as string,
        priority: r.priority as string,
        region: (r.region as string | null) ?? undefined,
        customerId: r.customer_id as string,
        contractId: (r.contract_id as string | null) ?? undefined,
        cancelled: r.cancelled === true,
        segments: (r.segments as Record<string, string> | null) ?? {},
      });
    }
    count += rows.length;
    if (rows.length < pageSize) return count;
    const last = rows[rows.length - 1];
    after = [(last.opened_at as Date).toISOString(), last.id as string];
  }
}
