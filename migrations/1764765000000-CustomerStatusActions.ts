import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer acts on her status page (issue 14):
 * - `promise_proposals`: a dispatcher proposes a new promise for the customer; she accepts (the re-promise
 *   is applied) or declines it. At most one pending proposal per case.
 * - `case_surveys`: her CSAT (1–5), how stressed the problem made her (1–5) and a comment, one per case.
 * - the ledger records her answers (`proposal`, `survey` fields besides the times and the status).
 * - alerts of kind `customer` (she declined a proposal, said it is not fixed) go to the dispatcher's inbox
 *   without a policy; they are fired when made.
 * - tenant branding (accent colour, logo URL) and the customer's language (en, de) for the page.
 * - `kept_status_link_scope`: the one SECURITY DEFINER entry point of the public actions (it runs before any
 *   tenant is known): for a live link it answers the tenant, the case and the link, nothing else; the API
 *   then works inside that tenant's row-level security like any request.
 * - a satisfied case's live links expire 14 days after the satisfaction.
 */
export class CustomerStatusActions1764765000000 implements MigrationInterface {
  name = 'CustomerStatusActions1764765000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE promise_proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        promised_at timestamptz NOT NULL,
        breakdown jsonb,
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','accepted','declined','withdrawn')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        answer_note text CHECK (char_length(answer_note) <= 1000),
        CHECK ((state = 'pending') = (answered_at IS NULL))
      );
      CREATE UNIQUE INDEX promise_proposals_pending_idx ON promise_proposals (case_id) WHERE state = 'pending';
      CREATE INDEX promise_proposals_case_idx ON promise_proposals (tenant_id, case_id, created_at DESC);
      ALTER TABLE promise_proposals ENABLE ROW LEVEL SECURITY;
      ALTER TABLE promise_proposals FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON promise_proposals
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT, UPDATE ON promise_proposals TO kept_app;

      CREATE TABLE case_surveys (
        case_id uuid PRIMARY KEY REFERENCES cases(id),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        csat smallint NOT NULL CHECK (csat BETWEEN 1 AND 5),
        stress smallint NOT NULL CHECK (stress BETWEEN 1 AND 5),
        comment text CHECK (char_length(comment) <= 2000),
        answered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX case_surveys_tenant_idx ON case_surveys (tenant_id, answered_at);
      ALTER TABLE case_surveys ENABLE ROW LEVEL SECURITY;
      ALTER TABLE case_surveys FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON case_surveys
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT, UPDATE ON case_surveys TO kept_app;

      ALTER TABLE case_ledger DROP CONSTRAINT case_ledger_field_check;
      ALTER TABLE case_ledger ADD CONSTRAINT case_ledger_field_check
        CHECK (field IN ('requiredAt','expectedAt','promisedAt','satisfiedAt','fixedAt','status','assignee','proposal','survey'));

      ALTER TABLE alerts ALTER COLUMN policy_id DROP NOT NULL;
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      -- The list also names the recovery kinds of 1764770000000-CreateGoodwillAndRootCauses (merged in parallel),
      -- so this migration never rejects rows that one made, whichever runs first.
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
        CHECK (kind IN ('fraction','lead','at_risk','breach','repeat','escalation','goodwill_approval','root_cause','action_overdue','customer'));
      ALTER TABLE alerts ADD CONSTRAINT alerts_policy_check CHECK (policy_id IS NOT NULL OR kind = 'customer');

      ALTER TABLE organizations
        ADD COLUMN brand_accent text CHECK (brand_accent ~ '^#[0-9A-Fa-f]{6}$'),
        ADD COLUMN brand_logo_url text CHECK (brand_logo_url ~ '^https://' AND char_length(brand_logo_url) <= 500);
      ALTER TABLE customers
        ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en','de'));

      CREATE FUNCTION kept_status_link_scope(p_token_hash bytea, p_record_view boolean)
      RETURNS TABLE (link_id uuid, tenant_id uuid, case_id uuid)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF p_record_view THEN
          RETURN QUERY
            UPDATE status_links l SET last_viewed_at = now(), view_count = l.view_count + 1
             WHERE l.token_hash = p_token_hash AND l.revoked_at IS NULL AND l.expires_at > now()
            RETURNING l.id, l.tenant_id, l.case_id;
        ELSE
          RETURN QUERY
            SELECT l.id, l.tenant_id, l.case_id FROM status_links l
             WHERE l.token_hash = p_token_hash AND l.revoked_at IS NULL AND l.expires_at > now();
        END IF;
      END $$;
      REVOKE ALL ON FUNCTION kept_status_link_scope(bytea, boolean) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_status_link_scope(bytea, boolean) TO kept_app;

      -- Satisfaction ends a link's life 14 days later (a link made after that keeps its own expiry).
      CREATE FUNCTION kept_expire_links_after_satisfaction() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE status_links SET expires_at = NEW.satisfied_at + interval '14 days'
         WHERE case_id = NEW.id AND revoked_at IS NULL AND expires_at > now()
           AND NEW.satisfied_at + interval '14 days' > created_at;
        RETURN NULL;
      END $$;
      CREATE TRIGGER cases_expire_status_links AFTER UPDATE OF satisfied_at ON cases
        FOR EACH ROW WHEN (NEW.satisfied_at IS NOT NULL AND OLD.satisfied_at IS DISTINCT FROM NEW.satisfied_at)
        EXECUTE FUNCTION kept_expire_links_after_satisfaction();
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS cases_expire_status_links ON cases;
      DROP FUNCTION IF EXISTS kept_expire_links_after_satisfaction();
      DROP FUNCTION IF EXISTS kept_status_link_scope(bytea, boolean);
      ALTER TABLE customers DROP COLUMN IF EXISTS language;
      ALTER TABLE organizations DROP COLUMN IF EXISTS brand_accent, DROP COLUMN IF EXISTS brand_logo_url;
      DELETE FROM alerts WHERE kind = 'customer';
      ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_policy_check;
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check
        CHECK (kind IN ('fraction','lead','at_risk','breach','repeat','escalation'));
      ALTER TABLE alerts ALTER COLUMN policy_id SET NOT NULL;
      ALTER TABLE case_ledger DROP CONSTRAINT case_ledger_field_check;
      ALTER TABLE case_ledger ADD CONSTRAINT case_ledger_field_check
        CHECK (field IN ('requiredAt','expectedAt','promisedAt','satisfiedAt','fixedAt','status','assignee')) NOT VALID;
      DROP TABLE IF EXISTS case_surveys;
      DROP TABLE IF EXISTS promise_proposals;
    `);
  }
}
