import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestApp, TestApp } from '../../../test/support/app';
import { sql } from '../../../test/support/sql';
import { hashPassword } from '../auth/password';

/**
 * Row-level security is the last line of tenant isolation: these tests talk to PostgreSQL as the
 * runtime role `kept_app` and deliberately forget `WHERE tenant_id`.
 */
describe('row-level security: tenant isolation', () => {
  let t: TestApp;
  let tenantA: string;
  let tenantB: string;
  let caseB: string;
  let customerB: string;
  let caseA: string;
  let customerA: string;
  let tenantTables: string[];
  /** Tables seeded below with rows of tenant B, so that hiding them proves something. */
  const SEEDED_B = ['users', 'api_keys', 'customers', 'sites', 'assets', 'calendars', 'contracts', 'cases', 'case_promises', 'case_ledger', 'case_milestones', 'case_pauses', 'idempotency_keys'];

  const owner = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => sql<T>(t.db.ownerUrl, text, params);

  async function runtime<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: t.db.appUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** Runs `work` in a transaction bound to `tenant` (as the API does), then rolls back. */
  const asTenant = <T>(tenant: string, work: (c: Client) => Promise<T>) =>
    runtime(async (c) => {
      await c.query('BEGIN');
      try {
        await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
        return await work(c);
      } finally {
        await c.query('ROLLBACK');
      }
    });

  /** Expects `statement` to fail inside the open transaction, without aborting it. */
  async function expectFailure(c: Client, statement: string, params: unknown[], message: RegExp, code?: string) {
    await c.query('SAVEPOINT attempt');
    let error: { message: string; code?: string } | undefined;
    try {
      await c.query(statement, params);
    } catch (err) {
      error = err as { message: string; code?: string };
    }
    await c.query('ROLLBACK TO SAVEPOINT attempt');
    if (!error) throw new Error(`expected "${statement}" to fail with ${message}`);
    expect(error.message).toMatch(message);
    if (code) expect(error.code).toBe(code);
  }

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: tenantA }] = await owner<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'demo'`);
    [{ id: caseA, customer_id: customerA }] = await owner<{ id: string; customer_id: string }>(
      'SELECT id, customer_id FROM cases WHERE tenant_id = $1 ORDER BY number LIMIT 1',
      [tenantA],
    );

    // A second tenant, written through the owner connection, with a row in every tenant table.
    const db = new Client({ connectionString: t.db.ownerUrl });
    await db.connect();
    try {
      const one = async (text: string, params: unknown[]) => (await db.query(text, params)).rows[0];
      tenantB = (await one(`INSERT INTO organizations (name, slug, case_counter) VALUES ('Other Service GmbH', 'other', 1001) RETURNING id`, [])).id;
      const user = await one(
        `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, 'dispatcher@other.kept.test', 'Otto Other', 'dispatcher', $2) RETURNING id`,
        [tenantB, await hashPassword('other-password')],
      );
      await db.query(`INSERT INTO api_keys (tenant_id, name, role, prefix, key_hash) VALUES ($1, 'B key', 'viewer', 'bbbbbbbbbbbb', 'x')`, [tenantB]);
      customerB = (await one(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Customer of B') RETURNING id`, [tenantB])).id;
      const site = await one(`INSERT INTO sites (tenant_id, customer_id, name, time_zone) VALUES ($1, $2, 'B site', 'UTC') RETURNING id`, [tenantB, customerB]);
      await db.query(`INSERT INTO assets (tenant_id, site_id, customer_id, name) VALUES ($1, $2, $3, 'B asset')`, [tenantB, site.id, customerB]);
      const cal = await one(`INSERT INTO calendars (tenant_id, name, definition) VALUES ($1, 'B hours', '{}') RETURNING id`, [tenantB]);
      await db.query(`INSERT INTO contracts (tenant_id, customer_id, name, promise_minutes, calendar_id) VALUES ($1, $2, 'B contract', 60, $3)`, [tenantB, customerB, cal.id]);
      caseB = (
        await one(
          `INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, opened_at, promised_at, promise_version, created_by)
           VALUES ($1, 1001, $2, 'Calibration', 'normal', 'Secret case of tenant B', 'open', now(), now() + interval '1 day', 1, $3) RETURNING id`,
          [tenantB, customerB, user.id],
        )
      ).id;
      await db.query(`INSERT INTO case_promises (tenant_id, case_id, version, promised_at) VALUES ($1, $2, 1, now() + interval '1 day')`, [tenantB, caseB]);
      await db.query(`INSERT INTO case_ledger (tenant_id, case_id, actor_kind, field, new_value, promise_version) VALUES ($1, $2, 'system', 'status', 'open', 1)`, [tenantB, caseB]);
      await db.query(`INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind) VALUES ($1, $2, 'dispatched', now(), 'system')`, [tenantB, caseB]);
      await db.query(`INSERT INTO case_pauses (tenant_id, case_id, started_at, ended_at, reason) VALUES ($1, $2, now(), now(), 'B pause')`, [tenantB, caseB]);
      await db.query(`INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash) VALUES ($1, 'b-key', 'POST', '/api/v1/cases', 'h')`, [tenantB]);
    } finally {
      await db.end();
    }

    tenantTables = (
      await owner<{ table_name: string }>(
        `SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
          WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
          ORDER BY 1`,
      )
    ).map((r) => r.table_name);
  });
  afterAll(() => t.close());

  it('has two tenants with rows in every seeded table (so the checks below are meaningful)', async () => {
    expect(tenantTables).toEqual(expect.arrayContaining(SEEDED_B));
    for (const table of SEEDED_B) {
      const [{ n }] = await owner<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantB]);
      expect({ table, n: n > 0 }).toEqual({ table, n: true });
    }
    const [{ n }] = await owner<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1`, [tenantA]);
    expect(n).toBe(40);
  });

  it('shows only tenant A to queries that forget WHERE tenant_id', async () => {
    await asTenant(tenantA, async (c) => {
      const cases = (await c.query('SELECT * FROM cases')).rows;
      expect(cases).toHaveLength(40);
      expect(cases.every((r) => r.tenant_id === tenantA)).toBe(true);
      expect(cases.map((r) => r.id)).not.toContain(caseB);

      const customers = (await c.query('SELECT * FROM customers')).rows;
      expect(customers).toHaveLength(12);
      expect(customers.every((r) => r.tenant_id === tenantA)).toBe(true);

      const users = (await c.query('SELECT * FROM users')).rows;
      expect(users.map((u) => u.email).sort()).toEqual(
        ['admin', 'dispatcher', 'engineer', 'manager', 'viewer'].map((r) => `${r}@demo.kept.test`),
      );

      const ledger = (await c.query('SELECT * FROM case_ledger')).rows;
      expect(ledger.length).toBeGreaterThan(40);
      expect(ledger.every((r) => r.tenant_id === tenantA)).toBe(true);

      const orgs = (await c.query('SELECT * FROM organizations')).rows;
      expect(orgs.map((o) => [o.id, o.name])).toEqual([[tenantA, 'Demo Field Service']]);

      // Even naming tenant B's rows explicitly finds nothing, and changes nothing.
      expect((await c.query('SELECT * FROM cases WHERE id = $1', [caseB])).rowCount).toBe(0);
      expect((await c.query('SELECT * FROM cases WHERE tenant_id = $1', [tenantB])).rowCount).toBe(0);
      expect((await c.query(`UPDATE cases SET summary = 'hacked' WHERE id = $1`, [caseB])).rowCount).toBe(0);
      expect((await c.query(`UPDATE organizations SET name = 'hacked' WHERE id = $1`, [tenantB])).rowCount).toBe(0);
      const joined = await c.query('SELECT count(*)::int AS n FROM cases JOIN customers ON customers.id = cases.customer_id WHERE customers.id = $1', [customerB]);
      expect(joined.rows[0].n).toBe(0);
    });
    const [b] = await owner<{ summary: string }>('SELECT summary FROM cases WHERE id = $1', [caseB]);
    expect(b.summary).toBe('Secret case of tenant B');
  });

  it('shows each tenant exactly its own rows in every table with a tenant_id column', async () => {
    for (const [tenant, other] of [
      [tenantA, tenantB],
      [tenantB, tenantA],
    ]) {
      await asTenant(tenant, async (c) => {
        for (const table of tenantTables) {
          const [{ own }] = await owner<{ own: number }>(`SELECT count(*)::int AS own FROM ${table} WHERE tenant_id = $1`, [tenant]);
          const seen = (await c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE tenant_id <> $1)::int AS foreign FROM ${table}`, [tenant])).rows[0];
          expect({ table, seen: seen.n, foreign: seen.foreign }).toEqual({ table, seen: own, foreign: 0 });
          const leaked = (await c.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [other])).rows[0].n;
          expect({ table, leaked }).toEqual({ table, leaked: 0 });
        }
      });
    }
  });

  it("refuses to write a row with another tenant's tenant_id (WITH CHECK)", async () => {
    await asTenant(tenantA, async (c) => {
      const rls = /row-level security/;
      await expectFailure(c, `INSERT INTO customers (tenant_id, name) VALUES ($1, 'Smuggled')`, [tenantB], rls, '42501');
      await expectFailure(
        c,
        `INSERT INTO case_ledger (tenant_id, case_id, actor_kind, field, new_value, promise_version) VALUES ($1, $2, 'system', 'status', 'x', 0)`,
        [tenantB, caseA],
        rls,
        '42501',
      );
      await expectFailure(c, `UPDATE customers SET tenant_id = $1 WHERE id = $2`, [tenantB, customerA], rls, '42501');
      await expectFailure(c, `INSERT INTO organizations (name, slug) VALUES ('Third', 'third')`, [], rls, '42501');
      // Its own tenant works (control).
      const ok = await c.query(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Legit') RETURNING id`, [tenantA]);
      expect(ok.rowCount).toBe(1);
    });
    const [{ n }] = await owner<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE name IN ('Smuggled', 'Legit')`);
    expect(n).toBe(0); // all rolled back
  });

  it('shows nothing at all when no tenant is set', async () => {
    await runtime(async (c) => {
      for (const setting of [null, '', randomUUID()]) {
        await c.query('BEGIN');
        if (setting !== null) await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [setting]);
        for (const table of [...tenantTables, 'organizations']) {
          const n = (await c.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
          expect({ setting, table, n }).toEqual({ setting, table, n: 0 });
        }
        await expectFailure(c, `INSERT INTO customers (tenant_id, name) VALUES ($1, 'No tenant')`, [tenantA], /row-level security/, '42501');
        await c.query('COMMIT');
      }
      // A tenant id that is not a uuid is an error, never a leak.
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', 'not-a-uuid', true)`);
      await expectFailure(c, 'SELECT * FROM cases', [], /uuid/);
      await c.query('ROLLBACK');
    });
  });

  it('forgets the tenant when the transaction ends (the setting is transaction-local)', async () => {
    await runtime(async (c) => {
      for (const end of ['COMMIT', 'ROLLBACK']) {
        await c.query('BEGIN');
        await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantA]);
        expect((await c.query('SELECT count(*)::int AS n FROM cases')).rows[0].n).toBe(40);
        await c.query(end);
        const setting = (await c.query(`SELECT current_setting('app.tenant_id', true) AS v`)).rows[0].v;
        expect(setting ?? '').toBe('');
        expect((await c.query('SELECT count(*)::int AS n FROM cases')).rows[0].n).toBe(0);
        expect((await c.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
      }
    });
  });

  it('connects as a runtime role that is neither superuser nor BYPASSRLS, and owns no table', async () => {
    const [role] = await owner<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean }>(
      `SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = 'kept_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });
    await runtime(async (c) => {
      const me = (await c.query(`SELECT current_user AS name, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`)).rows[0];
      expect(me).toEqual({ name: 'kept_app', rolsuper: false, rolbypassrls: false });
    });
    // The API's pool (application_name 'kept') connects as that role too.
    expect((await t.http().get('/api/v1/health')).status).toBe(200);
    const [active] = await owner<{ usernames: string[] }>(
      `SELECT array_agg(DISTINCT usename::text) AS usernames FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'kept'`,
    );
    expect(active.usernames).toEqual(['kept_app']);
    const owned = await owner<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'kept_app' AND c.relkind IN ('r', 'p', 'v', 'm')`,
    );
    expect(owned).toEqual([]);
  });

  it('enables AND forces row-level security, with a tenant policy, on every table with a tenant_id column', async () => {
    const rows = await owner<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number; checks: number }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
                 AND p.qual LIKE '%kept_current_tenant()%') AS policies,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
                 AND (p.with_check LIKE '%kept_current_tenant()%' OR (p.with_check IS NULL AND p.cmd = 'ALL'))) AS checks
         FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])
        ORDER BY 1`,
      [[...tenantTables, 'organizations']],
    );
    expect(rows.map((r) => r.relname).sort()).toEqual([...tenantTables, 'organizations'].sort());
    for (const r of rows) {
      expect(r).toEqual({ relname: r.relname, relrowsecurity: true, relforcerowsecurity: true, policies: 1, checks: 1 });
    }
  });

  it('gives the runtime role no table that escapes row-level security', async () => {
    const open = await owner<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
          AND has_table_privilege('kept_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE')
          AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`,
    );
    expect(open).toEqual([]);
  });

  describe('through the API', () => {
    let authB: string;
    let authA: string;

    beforeAll(async () => {
      authB = await t.login('dispatcher@other.kept.test', 'other-password');
      authA = await t.login('dispatcher@demo.kept.test');
    });

    it("hides tenant A's records from tenant B's user (404) and lists only B's own", async () => {
      const me = await t.http().get('/api/v1/auth/me').set('Authorization', authB);
      expect(me.body.organization).toEqual(expect.objectContaining({ id: tenantB, name: 'Other Service GmbH' }));

      const getA = await t.http().get(`/api/v1/cases/${caseA}`).set('Authorization', authB);
      expect(getA.status).toBe(404);
      expect(getA.body.code).toBe('CASE_NOT_FOUND');
      expect((await t.http().get(`/api/v1/customers/${customerA}`).set('Authorization', authB)).status).toBe(404);
      expect((await t.http().patch(`/api/v1/customers/${customerA}`).set('Authorization', authB).send({ name: 'hacked', version: 1 })).status).toBe(404);
      expect((await t.http().post(`/api/v1/cases/${caseA}/cancel`).set('Authorization', authB).send({ version: 1 })).status).toBe(404);

      const list = await t.http().get('/api/v1/cases?limit=200').set('Authorization', authB);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([caseB]);
      const customers = await t.http().get('/api/v1/customers').set('Authorization', authB);
      expect(customers.body.map((c: { id: string }) => c.id)).toEqual([customerB]);
      const users = await t.http().get('/api/v1/users').set('Authorization', await t.login('admin@demo.kept.test'));
      expect(users.body.map((u: { email: string }) => u.email)).not.toContain('dispatcher@other.kept.test');
    });

    it("does not let tenant B reference tenant A's customer, and numbers B's cases on B's own counter", async () => {
      const refused = await t.http().post('/api/v1/cases').set('Authorization', authB).send({ customerId: customerA, category: 'Calibration', summary: 'x' });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('INVALID_REFERENCE');
      const created = await t.http().post('/api/v1/cases').set('Authorization', authB).send({ customerId: customerB, category: 'Calibration', summary: 'B via API' });
      expect(created.status).toBe(201);
      expect(created.body.reference).toBe('K-1002');
      const [row] = await owner<{ tenant_id: string }>('SELECT tenant_id FROM cases WHERE id = $1', [created.body.id]);
      expect(row.tenant_id).toBe(tenantB);
      expect((await t.http().get(`/api/v1/cases/${created.body.id}`).set('Authorization', authA)).status).toBe(404);
      expect((await t.http().get(`/api/v1/cases/${caseB}`).set('Authorization', authA)).status).toBe(404);
    });

    it('never mixes tenants across pooled connections under concurrent load', async () => {
      const [{ ids }] = await owner<{ ids: string[] }>('SELECT array_agg(id) AS ids FROM cases WHERE tenant_id = $1', [tenantB]);
      const requests = Array.from({ length: 24 }, (_, i) => {
        const auth = i % 2 ? authA : authB;
        return t.http().get('/api/v1/cases?limit=200').set('Authorization', auth).then((res) => ({ i, res }));
      });
      for (const { i, res } of await Promise.all(requests)) {
        expect(res.status).toBe(200);
        const got: string[] = res.body.items.map((c: { id: string }) => c.id);
        if (i % 2) {
          expect(got.some((id) => ids.includes(id))).toBe(false);
          expect(got.length).toBe(40);
        } else {
          expect([...got].sort()).toEqual([...ids].sort());
        }
      }
    });
  });
});
