import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the engineer sends from the field beyond milestones:
 * - `repromise_requests`: he asks for a new promise (a proposed time and a reason); the dispatcher accepts
 *   it (the existing re-promise, possibly at an edited time) or declines it. One open request per case.
 * - `case_attachments`: a photo (jpeg/png/webp/heic) or a PDF per milestone, ≤ 10 MB, kept in PostgreSQL
 *   (bytea, stored out of line by TOAST) — staff only, never on the public status page.
 * - alerts of kind `request`: raised at once (not planned) so the dispatcher sees the request in the inbox.
 * Both tables carry tenant_id under a forced RLS policy like every tenant table.
 */
export class CreateFieldRequests1764760000000 implements MigrationInterface {
  name = 'CreateFieldRequests1764760000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE repromise_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        requested_by uuid REFERENCES users(id),
        requested_by_name text,
        requested_at timestamptz NOT NULL,
        proposed_at timestamptz NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
        -- The promise the engineer saw when asking (null when there was none yet).
        promised_at_request timestamptz,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'declined')),
        decided_by uuid REFERENCES users(id),
        decided_by_name text,
        decided_at timestamptz,
        -- The promise actually made on acceptance (the proposal or the dispatcher's edit of it).
        accepted_promised_at timestamptz,
        decision_note text,
        alert_id uuid REFERENCES alerts(id),
        CHECK ((state = 'open') = (decided_at IS NULL)),
        CHECK ((state = 'accepted') = (accepted_promised_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX repromise_requests_one_open ON repromise_requests (case_id) WHERE state = 'open';
      CREATE INDEX repromise_requests_case_idx ON repromise_requests (tenant_id, case_id, requested_at DESC);
      ALTER TABLE repromise_requests ENABLE ROW LEVEL SECURITY;
      ALTER TABLE repromise_requests FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON repromise_requests
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT, UPDATE ON repromise_requests TO kept_app;

      CREATE TABLE case_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        milestone text CHECK (milestone IN ('dispatched','engineer_eta','arrived','diagnosed','fixed','test_passed','customer_confirmed')),
        note text CHECK (note IS NULL OR length(note) <= 1000),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg','image/png','image/webp','image/heic','image/heif','application/pdf')),
        size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
        sha256 bytea NOT NULL CHECK (octet_length(sha256) = 32),
        data bytea NOT NULL,
        uploaded_by uuid REFERENCES users(id),
        uploaded_by_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (octet_length(data) = size_bytes)
      );
      CREATE INDEX case_attachments_case_idx ON case_attachments (tenant_id, case_id, created_at);
      ALTER TABLE case_attachments ENABLE ROW LEVEL SECURITY;
      ALTER TABLE case_attachments FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON case_attachments
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT ON case_attachments TO kept_app;

      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
        CHECK (kind IN ('fraction','lead','at_risk','breach','repeat','escalation','request'));
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM alerts WHERE kind = 'request';
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
        CHECK (kind IN ('fraction','lead','at_risk','breach','repeat','escalation'));
      DROP TABLE IF EXISTS case_attachments;
      DROP TABLE IF EXISTS repromise_requests;
    `);
  }
}
