import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { appDatabaseUrlFrom } from '../../src/config/config';
import { migrate } from '../../src/common/database/data-source';

export interface TestDatabase {
  name: string;
  /** The owning role (superuser in tests): bypasses RLS, used for setup and for checks. */
  ownerUrl: string;
  /** The runtime role `kept_app`, subject to RLS, as the API connects. */
  appUrl: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which provides a PostgreSQL server');
  }
  return url;
}

const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file, cloned from the migrated template that `npm test` prepares
 * (or migrated on the spot when the file is run alone), so test files run in parallel in isolation.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kept_t_${randomBytes(6).toString('hex')}`;
  const template = process.env.KEPT_TEST_TEMPLATE;
  await admin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
        return;
      } catch (err) {
        // Two files cloning the template at the same instant: PostgreSQL refuses one; try again.
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  const ownerUrl = withDb(adminUrl(), name);
  if (!template) await migrate(ownerUrl, 'kept_app');
  return {
    name,
    ownerUrl,
    appUrl: appDatabaseUrlFrom(ownerUrl, 'kept_app'),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
