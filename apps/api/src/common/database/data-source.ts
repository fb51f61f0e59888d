import { Logger, runMigrations as runQueueMigrations } from 'graphile-worker';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * TypeORM options for Kept's database. The application root passes its `entities` (common/ knows no
 * module); migrations need none.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  entities: DataSourceOptions['entities'] = [],
  connectTimeoutMs = 3000,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // A request waits at most connectTimeoutMs for a connection (PostgreSQL down or restarting): then it
    // fails and is answered 503 with Retry-After (common/database/database-unavailable.ts), never hangs.
    extra: { max: poolSize, application_name: 'kept', connectionTimeoutMillis: connectTimeoutMs },
  };
}

/** The advisory lock `migrate` holds (any constant; "kept" + "migr" in ASCII): one migration run per database at a time. */
export const MIGRATION_LOCK_KEY = 0x6b657074_6d696772n;

/**
 * Runs every pending migration as the owning role and gives the runtime role `kept_app` its password.
 * Safe to call on every start: applied migrations are skipped. Safe with several processes at once
 * (replicas starting together, two `npm run migrate`): each run holds a session-level advisory lock on
 * its own connection, so the second waits for the first and then finds nothing left to do.
 */
export async function migrate(ownerUrl: string, appPassword: string): Promise<string[]> {
  const lock = new Client({ connectionString: ownerUrl, application_name: 'kept-migrate-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    return await migrateLocked(ownerUrl, appPassword);
  } finally {
    // Ending the session releases the lock too (also when the process dies mid-run).
    await lock.end().catch(() => undefined);
  }
}

async function migrateLocked(ownerUrl: string, appPassword: string): Promise<string[]> {
  // The job queue's own schema first: the alert migrations' triggers call into it.
  await runQueueMigrations({ connectionString: ownerUrl, logger: quietQueueLogger });
  const ds = new DataSource(dataSourceOptions(ownerUrl, 1));
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    const [{ can }] = await ds.query(
      `SELECT (rolsuper OR rolcreaterole) AS can FROM pg_roles WHERE rolname = current_user`,
    );
    if (can) {
      await ds.query(`ALTER ROLE kept_app WITH LOGIN PASSWORD ${quoteLiteral(appPassword)}`);
    }
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * graphile-worker logs every migration at info level; keep warnings and errors only. (Its LogLevel is a
 * `const enum`, absent at run time under swc: compare with the string values.)
 */
const quietQueueLogger = new Logger(() => (level: string, message: string) => {
  if (level === 'error' || level === 'warning') console.error(`[queue] ${message}`);
});

/** The migrations of this build that `applied` (names from the database) lacks, in order. */
export function pendingMigrations(applied: readonly string[]): string[] {
  const done = new Set(applied);
  // TypeORM records a migration under its `name` field (else its class name).
  return migrations.map((M) => new M().name ?? M.name).filter((name) => !done.has(name));
}
