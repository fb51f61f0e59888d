import type { Pool } from 'pg';
import { replanCase } from '../alert-planner';
import { withTenant } from './tenant-tx';

const BATCH = 200;

/** Re-plans every open case of a tenant (after a policy change), in batches of short transactions. */
export async function replanTenant(pool: Pool, tenantId: string): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const done = await withTenant(pool, tenantId, async (sql) => {
      const ids = await sql<{ id: string }>(
        `SELECT id FROM cases WHERE tenant_id = $1 AND status NOT IN ('satisfied', 'cancelled') AND id > $2 ORDER BY id LIMIT $3`,
        [tenantId, after, BATCH],
      );
      for (const { id } of ids) await replanCase(sql, id, new Date());
      return ids.map((r) => r.id);
    });
    total += done.length;
    if (done.length < BATCH) return total;
    after = done[done.length - 1];
  }
}
