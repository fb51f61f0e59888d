import { Logger, runMigrations as runQueueMigrations } from 'graphile-worker';
import { DataSource, DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * TypeORM options for Kept's database. The application root passes its `entities` (common/ knows no
 * module); migrations need none.
 */
export function dataSourceOptions(url: string, poolSize = 10, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize, application_name: 'kept' },
  };
}

/**
 * Runs every pending migration as the owning role and gives the runtime role `kept_app` its password.
 * Safe to call on every start: applied migrations are skipped.
 */
export async function migrate(ownerUrl: string, appPassword: string): Promise<string[]> {
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
