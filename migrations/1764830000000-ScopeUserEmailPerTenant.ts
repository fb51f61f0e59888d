import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 (Low): an e-mail address is unique per organization, not across all of them, so creating or
 * inviting a user never tells an admin that the address has an account in another organization.
 *
 * Log-in still starts from the e-mail alone. `kept_find_login(email, organization)` returns every
 * account with that address, or only those in the organization with that slug or name when given; the API
 * checks the password against each (see AuthService.login) and asks for the organization only when the
 * password fits more than one.
 *
 * `down` restores the global index and fails if an address has meanwhile been used in two organizations.
 */
export class ScopeUserEmailPerTenant1764830000000 implements MigrationInterface {
  name = 'ScopeUserEmailPerTenant1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant_id, lower(email));
      DROP INDEX users_email_key;
      CREATE INDEX users_email_idx ON users (lower(email));

      CREATE FUNCTION kept_find_login(p_email text, p_organization text)
      RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text, active boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id, u.tenant_id, u.password_hash, u.active
          FROM users u JOIN organizations o ON o.id = u.tenant_id
         WHERE lower(u.email) = lower(p_email) AND (p_organization IS NULL OR o.slug = lower(p_organization) OR lower(o.name) = lower(p_organization))
         ORDER BY u.created_at, u.id
      $$;
      REVOKE ALL ON FUNCTION kept_find_login(text, text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_find_login(text, text) TO kept_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_find_login(text, text);
      DROP INDEX IF EXISTS users_email_idx;
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      DROP INDEX IF EXISTS users_tenant_email_key;
    `);
  }
}
