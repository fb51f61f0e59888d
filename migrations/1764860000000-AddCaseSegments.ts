import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16 item 2: a case's extra segment values (queue, department, seller, …) beyond category,
 * priority and region, by name, so the tenant's model can choose its levels among them as `kept evaluate`
 * does. Written by the history importer (the mapping's `segments`) and accepted on case creation. An
 * object of strings; `cases` already has row-level security, so nothing else changes.
 */
export class AddCaseSegments1764860000000 implements MigrationInterface {
  name = 'AddCaseSegments1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases ADD COLUMN segments jsonb NOT NULL DEFAULT '{}'::jsonb;
      ALTER TABLE cases ADD CONSTRAINT cases_segments_object CHECK (jsonb_typeof(segments) = 'object');`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases DROP CONSTRAINT cases_segments_object;
      ALTER TABLE cases DROP COLUMN segments;`);
  }
}
