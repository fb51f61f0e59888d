import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../../../config/config';

/**
 * A small pool as the owning role, for the two things that must see past row-level security: the
 * job queue's heartbeat sweep and the digest's list of tenants. Nothing tenant-specific runs on it.
 */
@Injectable()
export class OwnerPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({
      connectionString: config.ownerDatabaseUrl,
      max: 2,
      application_name: 'kept-worker-sweep',
      connectionTimeoutMillis: config.ops.connectTimeoutMs,
    });
    // An idle connection dropped by a PostgreSQL restart emits 'error' on the pool: without a listener that
    // would end the process. The pool discards it; the next query connects anew.
    this.pool.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
