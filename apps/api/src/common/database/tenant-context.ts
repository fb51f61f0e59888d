import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import type { SessionCheck } from '../auth/principal';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';
import { DatabaseConnectionLost } from './database-unavailable';

interface TenantScope {
  tenantId: string;
  manager: EntityManager;
}

const storage = new AsyncLocalStorage<TenantScope>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs work inside one database transaction scoped to a tenant. `app.tenant_id` is set with
 * `set_config(…, true)`, i.e. transaction-local: when the transaction ends the pooled connection
 * forgets the tenant, so it can never leak into the next request.
 */
@Injectable()
export class TenantContext {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(tenantId: string, work: () => Promise<T>, session?: SessionCheck): Promise<T> {
    // The tenant goes into the same round trip as START TRANSACTION (one simple-protocol query, which
    // takes no parameters: hence the literal, accepted only as a canonical UUID). Every request pays
    // this, and a round trip costs more here than the query building around it.
    if (!UUID.test(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
    // A signed-in user's session is checked in that same round trip (one primary-key look-up under the
    // tenant's RLS): a deactivated user, a changed role or password, or "log out everywhere" refuse the
    // token at once, at no extra round trip per request.
    let check = '';
    if (session) {
      if (!UUID.test(session.userId) || !Number.isSafeInteger(session.version)) throw new Error('Not a session');
      check = `; SELECT kept_check_session('${session.userId}', ${session.version})`;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // What startTransaction() would have recorded: commit/rollback below and nested transactions
      // (savepoints) see an open transaction of depth 1.
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
      try {
        try {
          await runner.query(`START TRANSACTION; SELECT set_config('app.tenant_id', '${tenantId}', true)${check}`);
        } catch (err) {
          if ((err as { code?: string }).code === '28000') {
            throw new CommonException(
              CommonExceptionCode.UNAUTHENTICATED,
              'The session has ended (the account was changed or signed out everywhere); sign in again',
            );
          }
          throw err;
        }
        const result = await storage.run({ tenantId, manager: runner.manager }, work);
        await runner.commitTransaction();
        return result;
      } catch (err) {
        await runner.rollbackTransaction().catch(() => undefined);
        // Released before our `finally`: its connection broke (a database restart), never a bug of ours.
        if (err instanceof QueryRunnerAlreadyReleasedError || err instanceof QueryRunnerProviderAlreadyReleasedError) throw new DatabaseConnectionLost(err);
        throw err;
      }
    } finally {
      await runner.release();
    }
  }

  /** The transaction-bound EntityManager of the current request. */
  get manager(): EntityManager {
    const scope = storage.getStore();
    if (!scope) throw new Error('No tenant transaction: the call is outside a request scope');
    return scope.manager;
  }

  get tenantId(): string {
    const scope = storage.getStore();
    if (!scope) throw new Error('No tenant transaction: the call is outside a request scope');
    return scope.tenantId;
  }
}
