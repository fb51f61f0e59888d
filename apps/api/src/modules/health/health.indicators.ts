import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pendingMigrations } from '../../common/database/data-source';
import { Readiness } from './readiness';

/** A probe must answer quickly even when a query hangs (a half-open connection): then it says down. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * The checks behind `/health/ready`: the process is not draining; the database answers (on the
 * runtime role's pool, as requests use it); the job queue is reachable; the schema has every migration
 * this build knows. The database, queue and migrations come from one round trip.
 */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  accepting(): HealthIndicatorResult {
    const check = this.indicators.check('accepting');
    return this.readiness.draining ? check.down({ message: 'shutting down' }) : check.up();
  }

  async database(): Promise<HealthIndicatorResult> {
    const db = this.indicators.check('database');
    const queue = this.indicators.check('queue');
    const schema = this.indicators.check('migrations');
    let row: { queue: boolean; applied: string[] };
    try {
      [row] = await withTimeout(
        this.dataSource.query('SELECT kept_queue_reachable() AS queue, kept_applied_migrations() AS applied') as Promise<typeof row[]>,
        PROBE_TIMEOUT_MS,
      );
    } catch (err) {
      return { ...db.down({ message: messageOf(err) }), ...queue.down({ message: 'not checked' }), ...schema.down({ message: 'not checked' }) };
    }
    const pending = pendingMigrations(row.applied);
    return {
      ...db.up(),
      ...(row.queue ? queue.up() : queue.down()),
      ...(pending.length ? schema.down({ pending }) : schema.up()),
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // A missing function means the schema predates this build (migrations not run).
  return /kept_(queue_reachable|applied_migrations)/.test(message) ? 'schema not migrated (run npm run migrate)' : message;
}
