import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status links: capability URLs a customer opens without an account. Only the SHA-256 of the 256-bit
 * token is stored; the token itself is shown once, when the link is made. The public page reads the
 * case through one narrow SECURITY DEFINER function (it runs before any tenant is known, like
 * `kept_find_api_key`) that answers only for a live link (not revoked, not expired), records the
 * view and returns the minimal public view of the case: no names of people, no ledger.
 */
export class StatusLinks1764400000000 implements MigrationInterface {
  name = 'StatusLinks1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE status_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        -- SHA-256 of the token, never the token.
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_viewed_at timestamptz,
        view_count integer NOT NULL DEFAULT 0 CHECK (view_count >= 0),
        CHECK (expires_at > created_at)
      );
      CREATE INDEX status_links_case_idx ON status_links (tenant_id, case_id, created_at DESC);

      ALTER TABLE status_links ENABLE ROW LEVEL SECURITY;
      ALTER TABLE status_links FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON status_links
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());

      CREATE FUNCTION kept_view_status_link(p_token_hash bytea)
      RETURNS TABLE (reference text, summary text, status text, opened_at timestamptz, required_at timestamptz,
        promised_at timestamptz, fixed_at timestamptz, satisfied_at timestamptz, time_zone text, organization text)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_case uuid;
        v_tenant uuid;
      BEGIN
        UPDATE status_links l SET last_viewed_at = now(), view_count = l.view_count + 1
          WHERE l.token_hash = p_token_hash AND l.revoked_at IS NULL AND l.expires_at > now()
          RETURNING l.case_id, l.tenant_id INTO v_case, v_tenant;
        IF v_case IS NULL THEN
          RETURN;
        END IF;
        RETURN QUERY
          SELECT 'K-' || c.number::text, c.summary, c.status, c.opened_at, c.required_at, c.promised_at,
                 c.fixed_at, c.satisfied_at, s.time_zone, o.name
            FROM cases c
            JOIN organizations o ON o.id = c.tenant_id
            LEFT JOIN sites s ON s.id = c.site_id AND s.tenant_id = c.tenant_id
           WHERE c.id = v_case AND c.tenant_id = v_tenant;
      END $$;
      REVOKE ALL ON FUNCTION kept_view_status_link(bytea) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_view_status_link(bytea) TO kept_app;
      GRANT SELECT, INSERT, UPDATE ON status_links TO kept_app;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_view_status_link(bytea);
      DROP TABLE IF EXISTS status_links;
    `);
  }
}
