import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * The SQL port: a query function with parameters, answering rows. Hand-written SQL (the alert planner,
 * the job services, status links) talks to this instead of TypeORM repositories, so the same code runs
 * in a request's tenant transaction and in a worker job's. It lives in common/ because every module may
 * use it; it knows nothing of any module.
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

/** A plain pg client (already inside a transaction when the caller needs one) as the port. */
export function sqlOfClient(client: PoolClient): Sql {
  return async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[];
}
