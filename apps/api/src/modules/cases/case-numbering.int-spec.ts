import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CaseNumberSequences1764620000000 } from '../../../../../migrations/1764620000000-CaseNumberSequences';
import { createTestApp, TestApp } from '../../../test/support/app';
import { sql } from '../../../test/support/sql';

/**
 * Case numbers come from a per-tenant sequence (migration CaseNumberSequences), not from a counter row
 * locked for the whole request: concurrent creates get distinct numbers and never wait on each other,
 * and a tenant can only advance its own sequence.
 */
describe('case numbering: a per-tenant sequence, no hot row lock', () => {
  let t: TestApp;
  let auth: string;
  let tenantA: string;
  let tenantB: string;
  let customerId: string;

  const owner = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => sql<T>(t.db.ownerUrl, text, params);
  const lastNumber = async (tenant: string) => (await owner<{ n: number }>('SELECT kept_case_number_last($1) AS n', [tenant]))[0].n;

  /** A kept_app connection with an open transaction bound to `tenant`; the caller ends it. */
  async function openTenantTransaction(tenant: string): Promise<Client> {
    const c = new Client({ connectionString: t.db.appUrl });
    await c.connect();
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
    return c;
  }

  async function failureOf(c: Client, statement: string, params: unknown[] = []): Promise<{ message: string; code?: string }> {
    await c.query('SAVEPOINT attempt');
    try {
      await c.query(statement, params);
    } catch (err) {
      await c.query('ROLLBACK TO SAVEPOINT attempt');
      return err as { message: string; code?: string };
    }
    throw new Error(`expected "${statement}" to fail`);
  }

  const create = (summary: string) =>
    t.http().post('/api/v1/cases').set('Authorization', auth).send({ customerId, category: 'Calibration', summary });

  beforeAll(async () => {
    t = await createTestApp();
    auth = await t.login('dispatcher@demo.kept.test');
    [{ id: tenantA }] = await owner<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'demo'`);
    [{ id: tenantB }] = await owner<{ id: string }>(
      `INSERT INTO organizations (name, slug, case_counter) VALUES ('Numbering B GmbH', 'numbering-b', 5000) RETURNING id`,
    );
    const res = await t.http().post('/api/v1/customers').set('Authorization', auth).send({ name: 'Numbering customer' });
    expect(res.status).toBe(201);
    customerId = res.body.id;
  });
  afterAll(() => t.close());

  it('gives each tenant a sequence after its highest number in use (existing tenants) or its counter (new ones)', async () => {
    const [{ max }] = await owner<{ max: number }>('SELECT max(number) AS max FROM cases WHERE tenant_id = $1', [tenantA]);
    expect(await lastNumber(tenantA)).toBeGreaterThanOrEqual(max ?? 0);
    // The new organization's sequence was made by the trigger, starting after its case_counter.
    expect(await lastNumber(tenantB)).toBe(5000);
  });

  it('numbers 50 parallel creates distinctly and consecutively while another transaction holds a number open', async () => {
    const before = await lastNumber(tenantA);
    const counterRow = async () => (await owner<{ case_counter: number; xmin: string }>('SELECT case_counter, xmin::text FROM organizations WHERE id = $1', [tenantA]))[0];
    const rowBefore = await counterRow();
    // A transaction that took a number and stays open: under the old counter row it would hold the
    // organization's row lock until its end, and every create below would wait for it (and this test
    // would hang); with the sequence nothing is held.
    const holder = await openTenantTransaction(tenantA);
    try {
      const [{ n: held }] = (await holder.query<{ n: number }>('SELECT kept_next_case_number() AS n')).rows;
      expect(held).toBe(before + 1);
      const heldLocks = await holder.query<{ relname: string; mode: string }>(
        `SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE l.pid = pg_backend_pid() AND c.relname = 'organizations'`,
      );
      expect(heldLocks.rows).toEqual([]);

      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => create(`parallel ${i}`)));
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      const numbers = responses.map((r) => Number(/^K-(\d+)$/.exec(r.body.reference)?.[1])).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(50);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => held + 1 + i));

      // No session of the API waits on a lock while the holder is still open.
      const waiting = await owner<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      expect(waiting[0].n).toBe(0);
      // The creates never wrote (so never locked) the organization row: same counter, same row version.
      expect(await counterRow()).toEqual(rowBefore);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // The rolled-back number is a gap, never handed out again.
    const next = await create('after the rollback');
    expect(next.status).toBe(201);
    expect(next.body.reference).toBe(`K-${before + 52}`);
  });

  it('lets a tenant advance only its own sequence, and only through the function', async () => {
    const bBefore = await lastNumber(tenantB);
    const c = await openTenantTransaction(tenantA);
    try {
      const seqB = `case_numbers_${tenantB.replace(/-/g, '')}`;
      expect((await failureOf(c, `SELECT nextval($1::regclass)`, [seqB])).code).toBe('42501');
      expect((await failureOf(c, `SELECT setval($1::regclass, 1)`, [seqB])).code).toBe('42501');
      await c.query('SELECT kept_next_case_number()');
      await c.query(`SELECT set_config('app.tenant_id', '', true)`);
      expect((await failureOf(c, 'SELECT kept_next_case_number()')).message).toMatch(/no tenant bound/);
    } finally {
      await c.query('ROLLBACK');
      await c.end();
    }
    expect(await lastNumber(tenantB)).toBe(bBefore);
  });

  it('goes down to the counter row (keeping the last number) and up again, continuing after it', async () => {
    const last = await lastNumber(tenantA);
    const owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
    try {
      const runner = { query: (text: string) => owner.query(text) } as unknown as QueryRunner;
      const migration = new CaseNumberSequences1764620000000();
      await migration.down(runner);
      const [{ counter, sequences }] = (
        await owner.query<{ counter: number; sequences: number }>(
          `SELECT (SELECT case_counter FROM organizations WHERE id = $1) AS counter,
                  (SELECT count(*)::int FROM pg_class WHERE relkind = 'S' AND relname LIKE 'case_numbers_%') AS sequences`,
          [tenantA],
        )
      ).rows;
      expect(counter).toBe(last);
      expect(sequences).toBe(0);
      await migration.up(runner);
    } finally {
      await owner.end();
    }
    expect(await lastNumber(tenantA)).toBe(last);
    const next = await create('after down and up');
    expect(next.status).toBe(201);
    expect(next.body.reference).toBe(`K-${last + 1}`);
  });

  it('moves the sequence past a raised case_counter (seeds, bulk loads) and ignores a lowered one', async () => {
    await owner(`UPDATE organizations SET case_counter = 7000 WHERE id = $1`, [tenantB]);
    expect(await lastNumber(tenantB)).toBe(7000);
    await owner(`UPDATE organizations SET case_counter = 10 WHERE id = $1`, [tenantB]);
    expect(await lastNumber(tenantB)).toBe(7000);
  });
});
