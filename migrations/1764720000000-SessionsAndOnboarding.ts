import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that follow account changes, refresh tokens and one-time set-password links (issue 12).
 *
 * - `users.session_version`: carried in every access token (`sv`) and compared on every request by
 *   `kept_check_session`, in the same round trip that starts the request's transaction. A trigger bumps
 *   it whenever the role, the active flag or the password changes; "log out everywhere" bumps it too.
 * - `refresh_tokens`: rotating refresh tokens, only their SHA-256 stored, grouped in families (one per
 *   log-in). Deactivation and a password change revoke every live token of the user (trigger).
 * - `user_tokens`: one-time links, hashed and expiring: set a password (a new tenant's first admin,
 *   invitations) or verify the e-mail address of a public sign-up.
 * - `users.password_hash` may be null: an invited user who has not chosen a password yet cannot log in.
 */
export class SessionsAndOnboarding1764720000000 implements MigrationInterface {
  name = 'SessionsAndOnboarding1764720000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 1;
      ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

      CREATE FUNCTION kept_bump_session_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.role IS DISTINCT FROM OLD.role OR NEW.active IS DISTINCT FROM OLD.active
           OR NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
          NEW.session_version := greatest(NEW.session_version, OLD.session_version + 1);
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER users_session_version BEFORE UPDATE ON users
        FOR EACH ROW EXECUTE FUNCTION kept_bump_session_version();

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user_live_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

      CREATE FUNCTION kept_revoke_refresh_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.active AND NOT NEW.active) OR NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
          UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = NEW.id AND revoked_at IS NULL;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER users_revoke_refresh_tokens AFTER UPDATE ON users
        FOR EACH ROW EXECUTE FUNCTION kept_revoke_refresh_tokens();

      CREATE TABLE user_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        purpose text NOT NULL CHECK (purpose IN ('set_password', 'verify_email')),
        token_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX user_tokens_user_idx ON user_tokens (user_id);

      -- Raises 28000 unless the user exists in the current tenant, is active and the token's session
      -- version is the current one. Runs as the caller (kept_app) under RLS: a user of another tenant is
      -- simply not found.
      CREATE FUNCTION kept_check_session(p_user uuid, p_version integer) RETURNS void
      LANGUAGE plpgsql STABLE AS $$
      DECLARE ok boolean;
      BEGIN
        SELECT u.active AND u.session_version = p_version INTO ok FROM users u WHERE u.id = p_user;
        IF ok IS NOT TRUE THEN
          RAISE EXCEPTION 'session revoked' USING ERRCODE = 'invalid_authorization_specification';
        END IF;
      END $$;

      -- Look-ups before a tenant is known (like kept_find_login): the tenant of a token, by its hash.
      CREATE FUNCTION kept_find_refresh_token(p_hash text) RETURNS TABLE (tenant_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT t.tenant_id FROM refresh_tokens t WHERE t.token_hash = p_hash
      $$;
      CREATE FUNCTION kept_find_user_token(p_hash text) RETURNS TABLE (tenant_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT t.tenant_id FROM user_tokens t WHERE t.token_hash = p_hash
      $$;
      REVOKE ALL ON FUNCTION kept_find_refresh_token(text) FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_find_user_token(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_find_refresh_token(text) TO kept_app;
      GRANT EXECUTE ON FUNCTION kept_find_user_token(text) TO kept_app;
    `);
    for (const table of ['refresh_tokens', 'user_tokens']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
        GRANT SELECT, INSERT, UPDATE ON ${table} TO kept_app;
      `);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_find_user_token(text);
      DROP FUNCTION IF EXISTS kept_find_refresh_token(text);
      DROP FUNCTION IF EXISTS kept_check_session(uuid, integer);
      DROP TABLE IF EXISTS user_tokens, refresh_tokens;
      DROP TRIGGER IF EXISTS users_revoke_refresh_tokens ON users;
      DROP TRIGGER IF EXISTS users_session_version ON users;
      DROP FUNCTION IF EXISTS kept_revoke_refresh_tokens();
      DROP FUNCTION IF EXISTS kept_bump_session_version();
      UPDATE users SET password_hash = '!' WHERE password_hash IS NULL;
      ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL;
      ALTER TABLE users DROP COLUMN session_version;
    `);
  }
}
