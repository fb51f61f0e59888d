import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from 'pg';
import { buildProgram } from '../src/main';
import { runTenantCreate, slugOf } from '../src/commands/tenant';

/** `kept tenant create` against a real PostgreSQL (a fresh database from the migrated template, or migrated here). */
const root = path.resolve(__dirname, '../../..');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `kept_cli_${randomBytes(5).toString('hex')}`;
const url = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
let db: Client;
const saved = { url: process.env.DATABASE_URL, publicUrl: process.env.PUBLIC_URL };

async function admin(sql: string) {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const template = process.env.KEPT_TEST_TEMPLATE;
  await admin(`CREATE DATABASE "${dbName}"${template ? ` TEMPLATE "${template}"` : ''}`);
  if (!template) {
    const bootstrap = createRequire(__filename)(path.join(root, 'dist/apps/api/src/database/bootstrap.js')) as { migrate(url: string, pw: string): Promise<string[]> };
    await bootstrap.migrate(url, 'kept_app');
  }
  db = new Client({ connectionString: url });
  await db.connect();
  process.env.DATABASE_URL = url;
  process.env.PUBLIC_URL = 'https://kept.example.com/';
});

afterAll(async () => {
  process.env.DATABASE_URL = saved.url;
  if (saved.publicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = saved.publicUrl;
  await db?.end();
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
});

const counts = async () =>
  (await db.query<{ orgs: number; users: number; tokens: number }>(
    `SELECT (SELECT count(*)::int FROM organizations) AS orgs, (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM user_tokens) AS tokens`,
  )).rows[0];

describe('kept tenant create', () => {
  it('creates the organization and an admin without a password, and prints a one-time link whose hash alone is stored', async () => {
    const lines: string[] = [];
    const made = await runTenantCreate({ name: 'Acme Field Service', adminEmail: 'Ada@Acme.test', adminName: 'Ada Lovelace' }, (l) => lines.push(l));
    expect(made.organization).toMatchObject({ name: 'Acme Field Service', slug: 'acme-field-service' });
    expect(made.link).toMatch(/^https:\/\/kept\.example\.com\/set-password#token=[A-Za-z0-9_-]{43}$/);
    expect(lines.join('\n')).toContain(made.link);

    const [org] = (await db.query(`SELECT id, name, slug FROM organizations WHERE id = $1`, [made.organization.id])).rows;
    expect(org).toEqual({ id: made.organization.id, name: 'Acme Field Service', slug: 'acme-field-service' });
    const [user] = (await db.query(`SELECT email, name, role, active, password_hash, tenant_id FROM users WHERE id = $1`, [made.admin.id])).rows;
    expect(user).toEqual({ email: 'ada@acme.test', name: 'Ada Lovelace', role: 'admin', active: true, password_hash: null, tenant_id: org.id });
    const token = /#token=(.+)$/.exec(made.link)![1];
    const [stored] = (await db.query(`SELECT token_hash, purpose, used_at, expires_at FROM user_tokens WHERE user_id = $1`, [made.admin.id])).rows;
    expect(stored).toMatchObject({ token_hash: createHash('sha256').update(token).digest('hex'), purpose: 'set_password', used_at: null });
    const hours = (stored.expires_at.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    // The new tenant starts like any other: the database's triggers gave it the default alert policies.
    expect((await db.query(`SELECT count(*)::int AS n FROM alert_policies WHERE tenant_id = $1`, [org.id])).rows[0].n).toBeGreaterThan(0);
  });

  it('refuses a taken e-mail, a taken slug and a bad e-mail, creating nothing', async () => {
    const before = await counts();
    await expect(runTenantCreate({ name: 'Other', adminEmail: 'ada@acme.test' }, () => undefined)).rejects.toThrow(/already exists/);
    await expect(runTenantCreate({ name: 'Acme Field Service', adminEmail: 'bob@acme.test' }, () => undefined)).rejects.toThrow(/slug "acme-field-service" already exists/);
    await expect(runTenantCreate({ name: 'Third', adminEmail: 'not-an-email' }, () => undefined)).rejects.toThrow(/not an e-mail address/);
    expect(await counts()).toEqual(before);
  });

  it('is wired into the `kept` program with --json output', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      await buildProgram().parseAsync(['node', 'kept', 'tenant', 'create', '--name', 'Zeta GmbH', '--admin-email', 'z@zeta.test', '--slug', 'zeta', '--expires-hours', '2', '--json']);
    } finally {
      spy.mockRestore();
    }
    const out = JSON.parse(writes.join('').trim()) as { organization: { slug: string }; expiresAt: string };
    expect(out.organization.slug).toBe('zeta');
    expect(new Date(out.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
  });

  it('derives slugs from names', () => {
    expect(slugOf('Café Ümlaut & Söhne')).toBe('cafe-umlaut-sohne');
    expect(slugOf('  --  ')).toBe('org');
  });
});
