import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The backfill: each case's assignee is the user named in its latest `dispatched` milestone note that
 * carries the four-step call's old marker `Assigned to <name> [<user id>]`, when that id is a user of
 * the case's own tenant; the case's team is that user's current team. Cases already assigned are left
 * alone, so running it twice changes nothing. Exported for the migration's backfill test.
 *
 * It runs as the migrating role, which bypasses row-level security (see CreateFoundation), so it sees
 * every tenant; the `u.tenant_id = c.tenant_id` join keeps each assignment inside its tenant.
 */
export const BACKFILL_CASE_ASSIGNEES = `
  UPDATE cases c
     SET assignee_id = u.id, team = u.team
    FROM (SELECT DISTINCT ON (m.case_id) m.case_id,
                 substring(m.note from '^Assigned to .+ \\[([0-9a-f-]{36})\\]') AS user_id
            FROM case_milestones m
           WHERE m.kind = 'dispatched' AND m.note ~ '^Assigned to .+ \\[[0-9a-f-]{36}\\]'
           ORDER BY m.case_id, m.at DESC, m.created_at DESC) a
    JOIN users u ON u.id::text = a.user_id
   WHERE c.id = a.case_id AND u.tenant_id = c.tenant_id AND c.assignee_id IS NULL`;

/**
 * The assignment is data, not a note: a case has an assignee (a user of its tenant) and a team (the
 * assignee's users.team when assigned, changeable on its own). Changes are ledger entries with field
 * `assignee`. The cases table's RLS policy already covers the new columns (it filters whole rows).
 *
 * The board filters open work by engineer and by team: two partial indexes over the statuses the board
 * shows (open, paused, fixed) keep those filters cheap however much closed history a tenant has.
 */
export class CaseAssignee1764500000000 implements MigrationInterface {
  name = 'CaseAssignee1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN assignee_id uuid NULL REFERENCES users(id),
        ADD COLUMN team text NULL CHECK (team IS NULL OR length(btrim(team)) BETWEEN 1 AND 100);
      CREATE INDEX cases_open_assignee_idx ON cases (tenant_id, assignee_id) WHERE status IN ('open','paused','fixed');
      CREATE INDEX cases_open_team_idx ON cases (tenant_id, team) WHERE status IN ('open','paused','fixed');

      ALTER TABLE case_ledger DROP CONSTRAINT case_ledger_field_check;
      ALTER TABLE case_ledger ADD CONSTRAINT case_ledger_field_check
        CHECK (field IN ('requiredAt','expectedAt','promisedAt','satisfiedAt','fixedAt','status','assignee'));
    `);
    await q.query(BACKFILL_CASE_ASSIGNEES);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The ledger is append-only (triggers forbid DELETE), so assignment entries cannot be removed: the
    // old check comes back NOT VALID, binding new rows only, and the entries stay as history.
    await q.query(`
      ALTER TABLE case_ledger DROP CONSTRAINT case_ledger_field_check;
      ALTER TABLE case_ledger ADD CONSTRAINT case_ledger_field_check
        CHECK (field IN ('requiredAt','expectedAt','promisedAt','satisfiedAt','fixedAt','status')) NOT VALID;
      DROP INDEX IF EXISTS cases_open_team_idx;
      DROP INDEX IF EXISTS cases_open_assignee_idx;
      ALTER TABLE cases DROP COLUMN IF EXISTS team, DROP COLUMN IF EXISTS assignee_id;
    `);
  }
}
