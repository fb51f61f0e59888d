import type { Pool } from 'pg';
import { Sql, sqlOfClient } from '../sql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One transaction as the runtime role, scoped to a tenant (RLS applies to worker jobs as to requests).
 */
export async function withTenant<T>(pool: Pool, tenantId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  const client = await pool.connect();
  try {
    // One round trip for both (the id is checked above, so it can be a literal).
    await client.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`);
    const result = await work(sqlOfClient(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
