import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

interface TenantScope {
  tenantId: string;
  manager: EntityManager;
}

const storage = new AsyncLocalStorage<TenantScope>();

/**
 * Runs work inside one database transaction scoped to a tenant. `app.tenant_id` is set with
 * `set_config(…, true)`, i.e. transaction-local: when the transaction ends the pooled connection
 * forgets the tenant, so it can never leak into the next request.
 */
@Injectable()
export class TenantContext {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      return storage.run({ tenantId, manager }, work);
    });
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
