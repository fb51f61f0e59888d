import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * A query function: the alert code runs both inside a request (the tenant transaction's EntityManager)
 * and inside a worker job (a pg client in its own tenant transaction), so it talks to this.
 */
export type Sql = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** TypeORM answers UPDATE/DELETE with [rows, affectedCount]; this always yields the rows. */
export function sqlOfManager(em: EntityManager): Sql {
  return async <T>(text: string, params?: unknown[]) => {
    const result: unknown = await em.query(text, params);
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  };
}

export function sqlOfClient(client: PoolClient): Sql {
  return async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[];
}
