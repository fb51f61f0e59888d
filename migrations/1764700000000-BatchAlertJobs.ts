import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An alert's job used to be scheduled by a row trigger: one `graphile_worker.add_job` per inserted alert,
 * each with its own job-key handling and NOTIFY. A new case gets ~7 alerts in one INSERT, and those calls
 * were most of what a create costs the database (4.6 ms of 5.0 ms for a 7-row INSERT on the scale data).
 *
 * Now the alerts one INSERT statement adds are scheduled together by a statement trigger over the
 * inserted rows (a transition table): one `graphile_worker.add_jobs` call with the same jobs (task
 * `fire_alert`, payload, run_at = due_at, 50 attempts, key `alert:<id>`; add_jobs replaces the run_at of
 * an existing unlocked job with the key, as add_job's 'replace' mode did). Rows an INSERT … ON CONFLICT
 * DO UPDATE updates instead are not in the transition table: like every UPDATE they keep going through
 * the row trigger, which still moves or removes one alert's job when its due_at or state changes.
 */
export class BatchAlertJobs1764700000000 implements MigrationInterface {
  name = 'BatchAlertJobs1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION kept_schedule_inserted_alert_jobs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      DECLARE
        specs graphile_worker.job_spec[];
      BEGIN
        SELECT array_agg(ROW('fire_alert', json_build_object('alertId', n.id, 'tenantId', n.tenant_id), NULL, n.due_at, 50,
                             'alert:' || n.id, NULL, NULL)::graphile_worker.job_spec ORDER BY n.due_at, n.id)
          INTO specs
          FROM inserted n
         WHERE n.state = 'pending' AND n.due_at IS NOT NULL;
        IF specs IS NOT NULL THEN
          PERFORM graphile_worker.add_jobs(specs);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER alerts_schedule ON alerts`);
    await q.query(`CREATE TRIGGER alerts_schedule AFTER UPDATE OF due_at, state ON alerts FOR EACH ROW EXECUTE FUNCTION kept_schedule_alert_job()`);
    await q.query(`
      CREATE TRIGGER alerts_schedule_inserted AFTER INSERT ON alerts REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION kept_schedule_inserted_alert_jobs()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER alerts_schedule_inserted ON alerts`);
    await q.query(`DROP FUNCTION kept_schedule_inserted_alert_jobs()`);
    await q.query(`DROP TRIGGER alerts_schedule ON alerts`);
    await q.query(`CREATE TRIGGER alerts_schedule AFTER INSERT OR UPDATE OF due_at, state ON alerts FOR EACH ROW EXECUTE FUNCTION kept_schedule_alert_job()`);
  }
}
