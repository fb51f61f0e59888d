import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { seedDemo } from '../../database/demo-seed';

/**
 * The ledger and the promise versions are history: nobody may rewrite them. The runtime role has no
 * UPDATE/DELETE/TRUNCATE privilege on them, and triggers stop even the owner (and superusers).
 */
describe('append-only case_ledger and case_promises', () => {
  let db: TestDatabase;
  let tenant: string;
  let caseId: string;

  async function connect(url: string): Promise<Client> {
    const c = new Client({ connectionString: url });
    await c.connect();
    return c;
  }

  async function snapshot(table: string) {
    const c = await connect(db.ownerUrl);
    try {
      return (await c.query(`SELECT * FROM ${table} ORDER BY ${table === 'case_ledger' ? 'id' : 'case_id, version'}`)).rows;
    } finally {
      await c.end();
    }
  }

  /** Runs `statement` in its own transaction (optionally bound to the tenant) and returns its error. */
  async function failure(url: string, statement: string, params: unknown[] = [], withTenant = false) {
    const c = await connect(url);
    try {
      await c.query('BEGIN');
      if (withTenant) await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      try {
        const res = await c.query(statement, params);
        return { error: undefined, rowCount: res.rowCount };
      } catch (err) {
        return { error: err as { message: string; code?: string } };
      } finally {
        await c.query('ROLLBACK');
      }
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.ownerUrl, { cases: 5 });
    const c = await connect(db.ownerUrl);
    try {
      tenant = (await c.query(`SELECT id FROM organizations WHERE slug = 'demo'`)).rows[0].id;
      caseId = (await c.query('SELECT case_id FROM case_promises ORDER BY case_id LIMIT 1')).rows[0].case_id;
    } finally {
      await c.end();
    }
  });
  afterAll(() => db.drop());

  describe.each(['case_ledger', 'case_promises'])('%s', (table) => {
    const changes = () => [
      { op: 'UPDATE', sql: `UPDATE ${table} SET reason = 'rewritten' WHERE case_id = $1`, params: [caseId] },
      { op: 'UPDATE', sql: `UPDATE ${table} SET reason = 'rewritten'`, params: [] },
      { op: 'DELETE', sql: `DELETE FROM ${table} WHERE case_id = $1`, params: [caseId] },
      { op: 'DELETE', sql: `DELETE FROM ${table}`, params: [] },
      { op: 'TRUNCATE', sql: `TRUNCATE ${table}`, params: [] },
    ];

    it('refuses UPDATE, DELETE and TRUNCATE by the runtime role (permission denied), even in its own tenant', async () => {
      const before = await snapshot(table);
      expect(before.length).toBeGreaterThan(0);
      for (const change of changes()) {
        const { error } = await failure(db.appUrl, change.sql, change.params, true);
        expect({ statement: change.sql, message: error?.message }).toEqual({ statement: change.sql, message: expect.stringMatching(/permission denied/) });
        expect(error?.code).toBe('42501');
      }
      expect(await snapshot(table)).toEqual(before);
    });

    it('refuses UPDATE, DELETE and TRUNCATE by the owner, a superuser (trigger: append-only)', async () => {
      const before = await snapshot(table);
      for (const change of changes()) {
        const { error } = await failure(db.ownerUrl, change.sql, change.params);
        expect({ statement: change.sql, message: error?.message }).toEqual({
          statement: change.sql,
          message: `${table} is append-only: ${change.op} is not allowed`,
        });
        expect(error?.code).toBe('42501');
      }
      expect(await snapshot(table)).toEqual(before);
    });

    it('has the triggers in place (so the owner check above is not an accident of privileges)', async () => {
      const c = await connect(db.ownerUrl);
      try {
        const rows = (
          await c.query(
            `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`,
            [table],
          )
        ).rows;
        // case_promises also hands each new version's keep-probability to its case (CasePromiseKeepProbability).
        // case_ledger also queues the customer's optional e-mails (CreateCustomerEmails).
        const also = table === 'case_promises' ? ['case_promises_current_keep_probability'] : ['case_ledger_customer_email'];
        expect(rows).toEqual(
          [`${table}_append_only`, `${table}_no_truncate`, ...also].sort().map((tgname) => ({ tgname, tgenabled: 'O' })),
        );
      } finally {
        await c.end();
      }
    });
  });

  it('refuses to wipe the history indirectly, by truncating the cases with CASCADE (owner)', async () => {
    const before = await snapshot('case_ledger');
    const { error } = await failure(db.ownerUrl, 'TRUNCATE cases CASCADE');
    expect(error?.message).toMatch(/^case_(ledger|promises) is append-only: TRUNCATE is not allowed$/);
    expect(await snapshot('case_ledger')).toEqual(before);
  });

  it('still lets the runtime role INSERT ledger entries and promise versions in its tenant', async () => {
    const c = await connect(db.appUrl);
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      const [{ v }] = (await c.query('SELECT max(version) AS v FROM case_promises WHERE case_id = $1', [caseId])).rows;
      const entry = await c.query(
        `INSERT INTO case_ledger (tenant_id, case_id, actor_kind, field, old_value, new_value, reason, promise_version)
         VALUES ($1, $2, 'system', 'promisedAt', NULL, '2030-01-01T00:00:00.000Z', 'append works', $3) RETURNING id`,
        [tenant, caseId, v + 1],
      );
      expect(entry.rowCount).toBe(1);
      const promise = await c.query(
        `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason) VALUES ($1, $2, $3, '2030-01-01T00:00:00Z', 'append works')`,
        [tenant, caseId, v + 1],
      );
      expect(promise.rowCount).toBe(1);
      await c.query('COMMIT');
    } finally {
      await c.end();
    }
    const ledger = await snapshot('case_ledger');
    expect(ledger.at(-1)).toEqual(expect.objectContaining({ case_id: caseId, reason: 'append works', actor_kind: 'system' }));
    const promises = (await snapshot('case_promises')).filter((p) => p.case_id === caseId);
    expect(promises.at(-1)).toEqual(expect.objectContaining({ reason: 'append works' }));
  });

  it('still lets the owner INSERT (e.g. imports and the demo seed)', async () => {
    const c = await connect(db.ownerUrl);
    try {
      const res = await c.query(
        `INSERT INTO case_ledger (tenant_id, case_id, actor_kind, field, new_value, reason, promise_version)
         VALUES ($1, $2, 'system', 'status', 'open', 'owner append', 1) RETURNING id`,
        [tenant, caseId],
      );
      expect(res.rowCount).toBe(1);
    } finally {
      await c.end();
    }
  });
});
