import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation: tenants, identity, customers/sites/assets/calendars/contracts, cases with the four
 * times, milestones, pauses, promise versions, the append-only ledger and idempotency keys.
 *
 * Every tenant table carries tenant_id, has row-level security enabled AND forced, and one policy that
 * compares tenant_id with the transaction-local setting `app.tenant_id`. The API connects as
 * `kept_app`, a role without BYPASSRLS, so even a query that forgets `WHERE tenant_id` sees one tenant.
 */
export class CreateFoundation1763900000000 implements MigrationInterface {
  name = 'CreateFoundation1763900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kept_app') THEN
          CREATE ROLE kept_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        END IF;
      END $$;
    `);

    await q.query(`
      CREATE FUNCTION kept_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

      CREATE FUNCTION kept_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;

      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        target_keep_rate numeric(4,3) NOT NULL DEFAULT 0.9 CHECK (target_keep_rate > 0 AND target_keep_rate < 1),
        case_counter integer NOT NULL DEFAULT 1000,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','manager','dispatcher','engineer','viewer')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE INDEX users_tenant_idx ON users (tenant_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','manager','dispatcher','engineer','viewer')),
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        name text NOT NULL,
        email text,
        phone text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX customers_tenant_name_idx ON customers (tenant_id, name);

      CREATE TABLE sites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        name text NOT NULL,
        address text,
        region text,
        time_zone text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sites_customer_idx ON sites (tenant_id, customer_id);

      CREATE TABLE assets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        site_id uuid NOT NULL REFERENCES sites(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        name text NOT NULL,
        model text,
        serial_number text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX assets_site_idx ON assets (tenant_id, site_id);

      CREATE TABLE calendars (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        name text NOT NULL,
        definition jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        name text NOT NULL,
        promise_minutes integer NOT NULL CHECK (promise_minutes > 0),
        promise_basis text NOT NULL DEFAULT 'business' CHECK (promise_basis IN ('business','wall')),
        promise_description text,
        calendar_id uuid NOT NULL REFERENCES calendars(id),
        valid_from date,
        valid_to date,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX contracts_customer_idx ON contracts (tenant_id, customer_id);

      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        number integer NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers(id),
        site_id uuid REFERENCES sites(id),
        asset_id uuid REFERENCES assets(id),
        contract_id uuid REFERENCES contracts(id),
        category text NOT NULL,
        priority text NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
        summary text NOT NULL,
        context text,
        stress_level smallint CHECK (stress_level BETWEEN 1 AND 5),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','paused','fixed','satisfied','cancelled')),
        pause_reason text,
        opened_at timestamptz NOT NULL,
        required_at timestamptz,
        expected_at timestamptz,
        expectation_source text,
        promised_at timestamptz,
        fixed_at timestamptz,
        satisfied_at timestamptz,
        promise_version integer NOT NULL DEFAULT 0,
        version integer NOT NULL DEFAULT 1,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, number),
        CHECK ((status = 'paused') = (pause_reason IS NOT NULL))
      );
      CREATE INDEX cases_list_idx ON cases (tenant_id, opened_at DESC, id DESC);
      CREATE INDEX cases_status_idx ON cases (tenant_id, status, opened_at DESC);
      CREATE INDEX cases_customer_idx ON cases (tenant_id, customer_id, category);

      CREATE TABLE case_promises (
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        version integer NOT NULL,
        promised_at timestamptz NOT NULL,
        breakdown jsonb,
        reason text,
        customer_accepted text CHECK (customer_accepted IN ('yes','no','pending')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, version)
      );

      CREATE TABLE case_ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        at timestamptz NOT NULL DEFAULT now(),
        actor_kind text NOT NULL CHECK (actor_kind IN ('user','api_key','system','customer')),
        actor_id uuid,
        actor_name text,
        field text NOT NULL CHECK (field IN ('requiredAt','expectedAt','promisedAt','satisfiedAt','fixedAt','status')),
        old_value text,
        new_value text,
        reason text,
        expectation_source text,
        customer_accepted text CHECK (customer_accepted IN ('yes','no','pending')),
        promise_version integer NOT NULL
      );
      CREATE INDEX case_ledger_case_idx ON case_ledger (case_id, id);

      CREATE TABLE case_milestones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('dispatched','engineer_eta','arrived','diagnosed','fixed','test_passed','customer_confirmed')),
        at timestamptz NOT NULL,
        actor_kind text NOT NULL,
        actor_id uuid,
        actor_name text,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX case_milestones_case_idx ON case_milestones (case_id, at);

      CREATE TABLE case_pauses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        reason text NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      );
      CREATE UNIQUE INDEX case_pauses_one_open ON case_pauses (case_id) WHERE ended_at IS NULL;

      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      );

      CREATE TRIGGER case_ledger_append_only BEFORE UPDATE OR DELETE ON case_ledger
        FOR EACH ROW EXECUTE FUNCTION kept_forbid_change();
      CREATE TRIGGER case_ledger_no_truncate BEFORE TRUNCATE ON case_ledger
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forbid_change();
      CREATE TRIGGER case_promises_append_only BEFORE UPDATE OR DELETE ON case_promises
        FOR EACH ROW EXECUTE FUNCTION kept_forbid_change();
      CREATE TRIGGER case_promises_no_truncate BEFORE TRUNCATE ON case_promises
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forbid_change();
    `);

    // Row-level security on every tenant table, forced so that even the table owner is subject to it.
    await q.query(`
      ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
      ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON organizations
        USING (id = kept_current_tenant()) WITH CHECK (id = kept_current_tenant());
    `);
    for (const table of TENANT_TABLES) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      `);
    }

    // Log-in and API-key look-ups happen before a tenant is known: two narrow SECURITY DEFINER functions
    // (owned by the migrating role, which must bypass RLS) return just what authentication needs.
    await q.query(`
      CREATE FUNCTION kept_find_login(p_email text)
      RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text, active boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id, u.tenant_id, u.password_hash, u.active FROM users u WHERE lower(u.email) = lower(p_email)
      $$;
      CREATE FUNCTION kept_find_api_key(p_prefix text)
      RETURNS TABLE (key_id uuid, tenant_id uuid, key_hash text, role text, name text, revoked boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT k.id, k.tenant_id, k.key_hash, k.role, k.name, k.revoked_at IS NOT NULL FROM api_keys k WHERE k.prefix = p_prefix
      $$;
      REVOKE ALL ON FUNCTION kept_find_login(text) FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_find_api_key(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_find_login(text) TO kept_app;
      GRANT EXECUTE ON FUNCTION kept_find_api_key(text) TO kept_app;
    `);

    await q.query(`
      GRANT USAGE ON SCHEMA public TO kept_app;
      GRANT SELECT, INSERT, UPDATE ON organizations, users, api_keys, customers, sites, assets, calendars,
        contracts, cases, case_milestones, case_pauses, idempotency_keys TO kept_app;
      GRANT DELETE ON idempotency_keys TO kept_app;
      GRANT SELECT, INSERT ON case_ledger, case_promises TO kept_app;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_find_api_key(text);
      DROP FUNCTION IF EXISTS kept_find_login(text);
      DROP TABLE IF EXISTS idempotency_keys, case_pauses, case_milestones, case_ledger, case_promises, cases,
        contracts, calendars, assets, sites, customers, api_keys, users, organizations;
      DROP FUNCTION IF EXISTS kept_forbid_change();
      DROP FUNCTION IF EXISTS kept_current_tenant();
    `);
  }
}

const TENANT_TABLES = [
  'users',
  'api_keys',
  'customers',
  'sites',
  'assets',
  'calendars',
  'contracts',
  'cases',
  'case_promises',
  'case_ledger',
  'case_milestones',
  'case_pauses',
  'idempotency_keys',
];
