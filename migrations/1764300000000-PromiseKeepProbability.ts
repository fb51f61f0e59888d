import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calibration: each promise version records the keep-probability it was made with (the recommender's
 * forecast for that promisedAt, when the dispatcher had one). case_promises is append-only (triggers
 * forbid UPDATE), so only new versions carry it; older rows stay NULL and are left out of calibration.
 */
export class PromiseKeepProbability1764300000000 implements MigrationInterface {
  name = 'PromiseKeepProbability1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_promises ADD COLUMN keep_probability double precision
        CHECK (keep_probability BETWEEN 0 AND 1);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE case_promises DROP COLUMN IF EXISTS keep_probability;
    `);
  }
}
