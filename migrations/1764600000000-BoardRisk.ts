import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The backfill of `cases.paused_since`: the start of each paused case's open pause (exact).
 *
 * Exported for the migration's test.
 */
export const BACKFILL_PAUSED_SINCE = `
  UPDATE cases c
     SET paused_since = p.started_at
    FROM (SELECT DISTINCT ON (case_id) case_id, started_at FROM case_pauses
           WHERE ended_at IS NULL ORDER BY case_id, started_at DESC) p
   WHERE c.id = p.case_id AND c.status = 'paused'`;

/**
 * The backfill of `cases.at_risk_at` for the cases open when this runs. A migration cannot run the alert
 * planner (business calendars, the tenant's step history), so this is its plan-only approximation in
 * wall time, and the planner's exact value replaces it at the case's next re-plan (any change, an alert
 * firing, a policy change re-planning the tenant):
 *
 * - no promise, or a promise after the need: at risk from the opening (the domain's `no_promise` /
 *   `promise_after_need`);
 * - a fixed case otherwise never (it waits only for the customer);
 * - otherwise the earliest deadline (promise or need) minus the remaining work: the promise's planned
 *   minutes of the steps after the one under way (`remainingWork` without step history), none when
 *   nothing is left.
 */
export const BACKFILL_AT_RISK_AT = `
  UPDATE cases c
     SET at_risk_at = CASE
           WHEN c.promised_at IS NULL OR c.promised_at > c.required_at THEN c.opened_at
           WHEN c.status = 'fixed' THEN NULL
           WHEN w.minutes > 0 THEN least(c.promised_at, c.required_at) - w.minutes * interval '1 minute'
         END
    FROM (SELECT c.id,
                 CASE coalesce(max(CASE m.kind WHEN 'arrived' THEN 1 WHEN 'diagnosed' THEN 2 WHEN 'fixed' THEN 3
                                               WHEN 'test_passed' THEN 4 END), 0)
                   WHEN 0 THEN coalesce((p.breakdown->>'diagnosisMinutes')::numeric, 0)
                             + coalesce((p.breakdown->>'fixMinutes')::numeric, 0) + coalesce((p.breakdown->>'testMinutes')::numeric, 0)
                   WHEN 1 THEN coalesce((p.breakdown->>'fixMinutes')::numeric, 0) + coalesce((p.breakdown->>'testMinutes')::numeric, 0)
                   WHEN 2 THEN coalesce((p.breakdown->>'testMinutes')::numeric, 0)
                   ELSE 0
                 END AS minutes
            FROM cases c
            LEFT JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
            LEFT JOIN case_milestones m ON m.case_id = c.id
           WHERE c.status IN ('open','paused','fixed')
           GROUP BY c.id, p.breakdown) w
   WHERE c.id = w.id`;

/**
 * Risk as data, for the board at a real tenant's size (issue 11): each open case carries the instant it
 * becomes at risk (`at_risk_at`, stored by the alert planner's `replanCase` in the same transaction as
 * any change, from the domain's rule) and the start of its open pause (`paused_since`: a paused case's
 * clock stands still there). The board's risk class at `now` is then plain SQL over these columns.
 *
 * `cases_board_idx`: a partial, covering index over the open statuses only (so the board's cost does
 * not grow with the tenant's closed history), keyed by the earliest deadline, the board's order within
 * a class; it carries every column the class, the filters and the counts read (index-only scans once
 * the table is vacuumed). `cases_open_category_idx` / `cases_open_customer_idx` (with the existing
 * `cases_open_team_idx`) let the board's facets skip through the distinct values instead of reading
 * every open case. ANALYZE: the planner needs statistics for the new expression at once.
 */
export class BoardRisk1764600000000 implements MigrationInterface {
  name = 'BoardRisk1764600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases ADD COLUMN at_risk_at timestamptz NULL, ADD COLUMN paused_since timestamptz NULL;
    `);
    await q.query(BACKFILL_PAUSED_SINCE);
    await q.query(BACKFILL_AT_RISK_AT);
    await q.query(`
      CREATE INDEX cases_board_idx ON cases (tenant_id, (coalesce(least(promised_at, required_at), 'infinity'::timestamptz)), id)
        INCLUDE (status, promised_at, required_at, at_risk_at, paused_since, category, customer_id, assignee_id, team)
        WHERE status IN ('open','paused','fixed');
      CREATE INDEX cases_open_category_idx ON cases (tenant_id, category) WHERE status IN ('open','paused','fixed');
      CREATE INDEX cases_open_customer_idx ON cases (tenant_id, customer_id) WHERE status IN ('open','paused','fixed');
      ANALYZE cases;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS cases_open_customer_idx;
      DROP INDEX IF EXISTS cases_open_category_idx;
      DROP INDEX IF EXISTS cases_board_idx;
      ALTER TABLE cases DROP COLUMN IF EXISTS paused_since, DROP COLUMN IF EXISTS at_risk_at;
    `);
  }
}
