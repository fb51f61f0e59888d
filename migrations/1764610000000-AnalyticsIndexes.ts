import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analytics summary reads a date range of a tenant's history: the cases satisfied in [from, to) and,
 * for the calibration, the unsatisfied cases whose promise fell due in that range. Without these two
 * partial indexes every summary walked all of the tenant's satisfied cases (140,000 on a big tenant,
 * 2.6 s) whatever the range; with them it reads only the range (see bench/analytics/explain-*.txt).
 */
export class AnalyticsIndexes1764610000000 implements MigrationInterface {
  name = 'AnalyticsIndexes1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_satisfied_range_idx ON cases (tenant_id, satisfied_at) WHERE status = 'satisfied'`);
    await q.query(`CREATE INDEX cases_unsatisfied_promise_idx ON cases (tenant_id, promised_at) WHERE status IN ('open', 'paused', 'fixed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_unsatisfied_promise_idx`);
    await q.query(`DROP INDEX cases_satisfied_range_idx`);
  }
}
