import type { Pool } from 'pg';
import { Sql, sqlOfClient } from '../sql';

/**
 * One transaction as the runtime role, scoped to a tenant (RLS applies to worker jobs as to requests).
 */
export async function withTenant<T>(pool: Pool, tenantId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
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
