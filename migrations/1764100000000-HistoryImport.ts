import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History import (issue 5): cases remember where they came from (`external_ref`, unique per tenant, so
 * re-importing a file adds nothing) and their region; `import_batches` records every import with the
 * file's SHA-256, its counts and every rejected row. Same tenant isolation as the foundation: RLS
 * enabled and forced, one policy on `app.tenant_id`, grants to `kept_app`.
 */
export class HistoryImport1764100000000 implements MigrationInterface {
  name = 'HistoryImport1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        file_name text NOT NULL,
        file_sha256 text,
        mapping jsonb NOT NULL,
        strict boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running','completed')),
        rows integer NOT NULL DEFAULT 0,
        inserted integer NOT NULL DEFAULT 0,
        already_present integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        rejected_rows jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX import_batches_tenant_idx ON import_batches (tenant_id, created_at DESC);

      ALTER TABLE cases ADD COLUMN external_ref text;
      ALTER TABLE cases ADD COLUMN region text;
      ALTER TABLE cases ADD COLUMN import_batch_id uuid REFERENCES import_batches(id);
      CREATE UNIQUE INDEX cases_external_ref_uq ON cases (tenant_id, external_ref) WHERE external_ref IS NOT NULL;
      -- The forecast model reads every closed case of a tenant by category.
      CREATE INDEX cases_forecast_idx ON cases (tenant_id, category, opened_at);

      ALTER TABLE import_batches ENABLE ROW LEVEL SECURITY;
      ALTER TABLE import_batches FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON import_batches
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT, UPDATE ON import_batches TO kept_app;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS cases_forecast_idx;
      DROP INDEX IF EXISTS cases_external_ref_uq;
      ALTER TABLE cases DROP COLUMN IF EXISTS import_batch_id;
      ALTER TABLE cases DROP COLUMN IF EXISTS region;
      ALTER TABLE cases DROP COLUMN IF EXISTS external_ref;
      DROP TABLE IF EXISTS import_batches;
    `);
  }
}
