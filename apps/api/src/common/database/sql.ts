import { createHash } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

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

/** Statement names by text: the same text is always the same prepared statement. */
const statementNames = new Map<string, string>();

/**
 * The SQL port for a fixed statement run on every request (a case's detail, a create): the statement
 * is prepared once per pooled connection under a name derived from its text, so PostgreSQL parses it
 * once and, after a few executions, plans it once (a generic plan), instead of parsing and planning it
 * on every request (≈0.5–1 ms of the database's CPU per statement at a big tenant's size). Only for
 * texts from a small fixed set: every distinct text stays prepared on each connection. Errors are
 * TypeORM's QueryFailedError, as through `em.query`.
 */
export function preparedSqlOfManager(em: EntityManager): Sql {
  return async <T>(text: string, params?: unknown[]) => {
    const runner = em.queryRunner;
    if (!runner) throw new Error('preparedSqlOfManager needs a transaction-bound EntityManager');
    let name = statementNames.get(text);
    if (!name) {
      name = `kept_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      statementNames.set(text, name);
    }
    const client = (await runner.connect()) as PoolClient;
    try {
      return (await client.query<T & QueryResultRow>({ name, text, values: params })).rows as T[];
    } catch (err) {
      throw new QueryFailedError(text, params, err as Error);
    }
  };
}
