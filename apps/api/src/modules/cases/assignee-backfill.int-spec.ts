import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { BACKFILL_CASE_ASSIGNEES, CaseAssignee1764500000000 } from '../../../../../migrations/1764500000000-CaseAssignee';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

/**
 * The CaseAssignee migration's backfill on real PostgreSQL: cases dispatched before the assignment was
 * data carry it only in their `dispatched` milestone notes. The latest matching note wins; ids of
 * unknown users or of another tenant's users are ignored; cases already assigned keep their assignee.
 */
describe('CaseAssignee backfill', () => {
  let db: TestDatabase;
  let owner: Client;
  const tenants: Record<'a' | 'b', string> = { a: '', b: '' };
  const users: Record<string, string> = {};
  let customer: string;

  const one = async <T>(text: string, params: unknown[] = []): Promise<T> => (await owner.query(text, params)).rows[0] as T;
  const note = (name: string, id: string) => `Assigned to ${name} [${id}]: promised by 3 pm`;

  async function caseWith(notes: { note: string | null; at: string; kind?: string }[], assignee: string | null = null): Promise<string> {
    const { id } = await one<{ id: string }>(
      `INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, opened_at, assignee_id)
       VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM cases), $2, 'analyzer', 'normal', 'x', 'open', '2026-11-01T08:00:00Z', $3) RETURNING id`,
      [tenants.a, customer, assignee],
    );
    for (const n of notes) {
      await owner.query(
        `INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind, note) VALUES ($1, $2, $3, $4, 'user', $5)`,
        [tenants.a, id, n.kind ?? 'dispatched', n.at, n.note],
      );
    }
    return id;
  }

  const assignment = (id: string) => one<{ assignee_id: string | null; team: string | null }>('SELECT assignee_id, team FROM cases WHERE id = $1', [id]);

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    for (const t of ['a', 'b'] as const) {
      tenants[t] = (await one<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [`backfill-${t}`])).id;
    }
    const user = async (key: string, tenant: string, team: string | null) => {
      users[key] = (
        await one<{ id: string }>(
          `INSERT INTO users (tenant_id, email, name, role, password_hash, team) VALUES ($1, $2, $2, 'engineer', 'x', $3) RETURNING id`,
          [tenant, `${key}@backfill.test`, team],
        )
      ).id;
    };
    await user('erik', tenants.a, 'North');
    await user('nina', tenants.a, null);
    await user('outsider', tenants.b, 'Elsewhere');
    customer = (await one<{ id: string }>(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Lab') RETURNING id`, [tenants.a])).id;
  });
  afterAll(async () => {
    await owner.end();
    await db.drop();
  });

  it('assigns each case the user of its latest matching note of its own tenant, with that user’s team', async () => {
    const latestWins = await caseWith([
      { note: note('Erik', users.erik), at: '2026-11-01T09:00:00Z' },
      { note: note('Nina', users.nina), at: '2026-11-01T10:00:00Z' },
      // Later but not a marker, or not a dispatch: neither counts.
      { note: 'Called Nina again', at: '2026-11-01T11:00:00Z' },
      { note: note('Erik', users.erik), at: '2026-11-01T12:00:00Z', kind: 'arrived' },
    ]);
    const withTeam = await caseWith([{ note: note('Erik', users.erik), at: '2026-11-01T09:00:00Z' }]);
    const otherTenant = await caseWith([{ note: note('Outsider', users.outsider), at: '2026-11-01T09:00:00Z' }]);
    const unknownUser = await caseWith([{ note: note('Ghost', '00000000-0000-4000-8000-000000000000'), at: '2026-11-01T09:00:00Z' }]);
    const noNote = await caseWith([{ note: null, at: '2026-11-01T09:00:00Z' }]);
    const alreadyAssigned = await caseWith([{ note: note('Erik', users.erik), at: '2026-11-01T09:00:00Z' }], users.nina);
    // The premise: before the backfill only the pre-assigned case has an assignee.
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE assignee_id IS NOT NULL')).n).toBe(1);

    await owner.query(BACKFILL_CASE_ASSIGNEES);

    expect(await assignment(latestWins)).toEqual({ assignee_id: users.nina, team: null });
    expect(await assignment(withTeam)).toEqual({ assignee_id: users.erik, team: 'North' });
    expect(await assignment(otherTenant)).toEqual({ assignee_id: null, team: null });
    expect(await assignment(unknownUser)).toEqual({ assignee_id: null, team: null });
    expect(await assignment(noNote)).toEqual({ assignee_id: null, team: null });
    expect(await assignment(alreadyAssigned)).toEqual({ assignee_id: users.nina, team: null });

    // Running it again changes nothing.
    const before = (await owner.query('SELECT id, assignee_id, team FROM cases ORDER BY id')).rows;
    await owner.query(BACKFILL_CASE_ASSIGNEES);
    expect((await owner.query('SELECT id, assignee_id, team FROM cases ORDER BY id')).rows).toEqual(before);
  });

  it('goes down (keeping the append-only ledger’s assignment entries) and up again, backfilling anew', async () => {
    const id = await caseWith([{ note: note('Erik', users.erik), at: '2026-11-02T09:00:00Z' }]);
    await owner.query(BACKFILL_CASE_ASSIGNEES);
    await owner.query(
      `INSERT INTO case_ledger (tenant_id, case_id, actor_kind, field, old_value, new_value, reason, promise_version)
       VALUES ($1, $2, 'user', 'assignee', NULL, $3, 'Sent out', 0)`,
      [tenants.a, id, users.erik],
    );
    const runner = { query: (text: string) => owner.query(text) } as unknown as QueryRunner;
    const migration = new CaseAssignee1764500000000();
    const columns = async () =>
      (await owner.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'cases' AND column_name IN ('assignee_id','team') ORDER BY 1`)).rows.map(
        (r: { column_name: string }) => r.column_name,
      );

    await migration.down(runner);
    expect(await columns()).toEqual([]);
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM case_ledger WHERE field = 'assignee'`)).n).toBe(1);
    await expect(
      owner.query(`INSERT INTO case_ledger (tenant_id, case_id, actor_kind, field, promise_version) VALUES ($1, $2, 'user', 'assignee', 0)`, [tenants.a, id]),
    ).rejects.toThrow(/case_ledger_field_check/);

    await migration.up(runner);
    expect(await columns()).toEqual(['assignee_id', 'team']);
    expect(await assignment(id)).toEqual({ assignee_id: users.erik, team: 'North' });
  });
});
