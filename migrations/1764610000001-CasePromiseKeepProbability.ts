import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The calibration chart bins decided promises by the keep-probability of each case's CURRENT promise
 * version. Reading it through case_promises costs one primary-key probe per case: 58,611 probes (≈0.7 s)
 * for a big tenant whose open cases' promises passed in the last 90 days. `cases.promise_keep_probability`
 * holds that figure on the case itself, maintained in the same transaction as every change of it:
 *
 * - case_promises is append-only (CreateFoundation's trigger): a promise version only ever arrives by
 *   INSERT. When it is the case's current version, the case takes its keep-probability (AFTER INSERT).
 * - A case's current version changes only through cases.promise_version: the case then reads the
 *   keep-probability of its new version (BEFORE UPDATE OF promise_version; null until that version exists,
 *   whichever of the two statements comes first).
 *
 * Both run as the caller (RLS applies: a case and its promises are one tenant's). The backfill sets every
 * existing case once.
 */
export class CasePromiseKeepProbability1764610000001 implements MigrationInterface {
  name = 'CasePromiseKeepProbability1764610000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN promise_keep_probability double precision`);
    await q.query(`
      UPDATE cases c SET promise_keep_probability = p.keep_probability
        FROM case_promises p
       WHERE p.case_id = c.id AND p.version = c.promise_version AND p.keep_probability IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION kept_case_takes_promise_keep_probability() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cases SET promise_keep_probability = NEW.keep_probability
         WHERE id = NEW.case_id AND promise_version = NEW.version
           AND promise_keep_probability IS DISTINCT FROM NEW.keep_probability;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER case_promises_current_keep_probability AFTER INSERT ON case_promises
        FOR EACH ROW EXECUTE FUNCTION kept_case_takes_promise_keep_probability()`);
    await q.query(`
      CREATE FUNCTION kept_case_reads_promise_keep_probability() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.promise_keep_probability := (SELECT p.keep_probability FROM case_promises p
                                          WHERE p.case_id = NEW.id AND p.version = NEW.promise_version);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER cases_current_keep_probability BEFORE UPDATE OF promise_version ON cases
        FOR EACH ROW WHEN (OLD.promise_version IS DISTINCT FROM NEW.promise_version)
        EXECUTE FUNCTION kept_case_reads_promise_keep_probability()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER cases_current_keep_probability ON cases`);
    await q.query(`DROP FUNCTION kept_case_reads_promise_keep_probability()`);
    await q.query(`DROP TRIGGER case_promises_current_keep_probability ON case_promises`);
    await q.query(`DROP FUNCTION kept_case_takes_promise_keep_probability()`);
    await q.query(`ALTER TABLE cases DROP COLUMN promise_keep_probability`);
  }
}
