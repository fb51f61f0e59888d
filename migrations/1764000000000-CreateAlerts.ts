import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduler and alerts: per-tenant alert policies, one row per alert (unique per case, policy, rule and
 * version of the watched time), deliveries (e-mail, webhooks) with their log, webhook endpoints,
 * per-user notification preferences, e-mail digests and worker heartbeats.
 *
 * Alerts are scheduled by a trigger: whenever a pending alert gets a due instant (or a new one), the
 * trigger puts a graphile-worker job keyed by the alert id at that instant (replacing the old one);
 * when the alert is cancelled, acknowledged or put on hold, the job is removed. The job and the alert
 * therefore change in the same transaction as the case change that caused them. graphile-worker's own
 * schema is created by `migrate()` before this migration runs.
 */
export class CreateAlerts1764000000000 implements MigrationInterface {
  name = 'CreateAlerts1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- requiredAt gets a version like promisedAt: alerts on the need belong to one version of it.
      ALTER TABLE cases ADD COLUMN required_version integer NOT NULL DEFAULT 0;
      UPDATE cases SET required_version = 1 WHERE required_at IS NOT NULL;
      CREATE FUNCTION kept_bump_required_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.required_version := CASE WHEN NEW.required_at IS NULL THEN 0 ELSE 1 END;
        ELSIF NEW.required_at IS DISTINCT FROM OLD.required_at THEN
          NEW.required_version := OLD.required_version + 1;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER cases_required_version BEFORE INSERT OR UPDATE OF required_at ON cases
        FOR EACH ROW EXECUTE FUNCTION kept_bump_required_version();

      CREATE TABLE alert_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        name text NOT NULL,
        target text NOT NULL CHECK (target IN ('promised','required')),
        basis text NOT NULL CHECK (basis IN ('business','wall')),
        fractions double precision[] NOT NULL DEFAULT '{}',
        lead_minutes integer[] NOT NULL DEFAULT '{}',
        at_breach boolean NOT NULL DEFAULT true,
        repeat_every_minutes integer CHECK (repeat_every_minutes > 0),
        escalate_after_minutes integer CHECK (escalate_after_minutes > 0),
        at_risk boolean NOT NULL DEFAULT true,
        channels text[] NOT NULL DEFAULT '{in_app}',
        recipient_roles text[] NOT NULL DEFAULT '{dispatcher,manager}',
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      );

      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        policy_id uuid NOT NULL REFERENCES alert_policies(id),
        rule_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('fraction','lead','at_risk','breach','repeat','escalation')),
        target text NOT NULL CHECK (target IN ('promised','required')),
        target_version integer NOT NULL,
        severity text NOT NULL CHECK (severity IN ('low','medium','high','critical')),
        due_at timestamptz,
        fired_at timestamptz,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','fired','acknowledged','cancelled')),
        muted boolean NOT NULL DEFAULT false,
        acknowledged_by uuid REFERENCES users(id),
        acknowledged_at timestamptz,
        snoozed_until timestamptz,
        message text NOT NULL,
        recipient_roles text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- Exactly once per case, rule and version of the watched time: enforced here, not hoped for.
        UNIQUE (case_id, policy_id, rule_key, target_version),
        CHECK ((state = 'pending') = (fired_at IS NULL) OR state = 'cancelled')
      );
      CREATE INDEX alerts_inbox_idx ON alerts (tenant_id, fired_at DESC, id DESC) WHERE fired_at IS NOT NULL;
      CREATE INDEX alerts_case_idx ON alerts (case_id, state);

      CREATE TABLE notification_preferences (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        email_enabled boolean NOT NULL DEFAULT true,
        quiet_hours jsonb,
        digest_low_severity boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        url text NOT NULL,
        description text,
        -- The signing key must be readable to sign; it is shown once and never returned again.
        secret text NOT NULL,
        min_severity text NOT NULL DEFAULT 'low' CHECK (min_severity IN ('low','medium','high','critical')),
        active boolean NOT NULL DEFAULT true,
        disabled_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        alert_id uuid REFERENCES alerts(id),
        digest_id uuid,
        channel text NOT NULL CHECK (channel IN ('email','webhook')),
        endpoint_id uuid REFERENCES webhook_endpoints(id),
        user_id uuid REFERENCES users(id),
        recipient text,
        message_id text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','failed','abandoned','skipped')),
        attempts integer NOT NULL DEFAULT 0,
        last_status integer,
        last_error text,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((channel = 'webhook') = (endpoint_id IS NOT NULL))
      );
      -- One delivery per alert and recipient: a crash between deciding and sending never doubles it.
      CREATE UNIQUE INDEX deliveries_webhook_once ON deliveries (alert_id, endpoint_id) WHERE channel = 'webhook';
      CREATE UNIQUE INDEX deliveries_email_once ON deliveries (alert_id, user_id) WHERE channel = 'email' AND alert_id IS NOT NULL;
      CREATE UNIQUE INDEX deliveries_digest_once ON deliveries (digest_id) WHERE digest_id IS NOT NULL;
      CREATE INDEX deliveries_log_idx ON deliveries (tenant_id, endpoint_id, created_at DESC);

      CREATE TABLE email_digests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        period_start timestamptz NOT NULL,
        alert_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, period_start)
      );

      -- Worker processes report here; a worker silent for too long has its jobs unlocked by the others.
      CREATE TABLE worker_heartbeats (
        pool_id text PRIMARY KEY,
        host text NOT NULL,
        pid integer NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        last_seen timestamptz NOT NULL DEFAULT now()
      );
    `);

    for (const table of ['alert_policies', 'alerts', 'notification_preferences', 'webhook_endpoints', 'deliveries', 'email_digests']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      `);
    }

    await q.query(`
      -- The job queue follows the alert rows (runs with the owner's rights: the API role has none on it).
      CREATE FUNCTION kept_schedule_alert_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        IF NEW.state = 'pending' AND NEW.due_at IS NOT NULL THEN
          IF TG_OP = 'INSERT' OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.state <> 'pending' THEN
            PERFORM graphile_worker.add_job(
              'fire_alert',
              json_build_object('alertId', NEW.id, 'tenantId', NEW.tenant_id),
              run_at := NEW.due_at,
              max_attempts := 50,
              job_key := 'alert:' || NEW.id,
              job_key_mode := 'replace'
            );
          END IF;
        ELSIF TG_OP = 'UPDATE' AND OLD.state = 'pending' AND OLD.due_at IS NOT NULL
              AND (NEW.state IN ('cancelled','acknowledged') OR NEW.due_at IS NULL) THEN
          PERFORM graphile_worker.remove_job('alert:' || NEW.id);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER alerts_schedule AFTER INSERT OR UPDATE OF due_at, state ON alerts
        FOR EACH ROW EXECUTE FUNCTION kept_schedule_alert_job();

      -- Deliveries likewise: a pending delivery with a next attempt has exactly one job at that instant.
      CREATE FUNCTION kept_schedule_delivery_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        IF NEW.state = 'pending' AND NEW.next_attempt_at IS NOT NULL
           AND (TG_OP = 'INSERT' OR OLD.next_attempt_at IS DISTINCT FROM NEW.next_attempt_at OR OLD.state <> 'pending') THEN
          PERFORM graphile_worker.add_job(
            'deliver',
            json_build_object('deliveryId', NEW.id, 'tenantId', NEW.tenant_id),
            run_at := NEW.next_attempt_at,
            max_attempts := 10,
            job_key := 'delivery:' || NEW.id,
            job_key_mode := 'replace'
          );
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER deliveries_schedule AFTER INSERT OR UPDATE OF next_attempt_at, state ON deliveries
        FOR EACH ROW EXECUTE FUNCTION kept_schedule_delivery_job();

      -- Re-planning a tenant's open cases after a policy change runs as a job (one queued per tenant).
      CREATE FUNCTION kept_enqueue_replan(p_tenant uuid) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        IF p_tenant IS DISTINCT FROM kept_current_tenant() THEN
          RAISE EXCEPTION 'can only re-plan the current tenant' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM graphile_worker.add_job('replan_tenant', json_build_object('tenantId', p_tenant),
          job_key := 'replan:' || p_tenant, job_key_mode := 'replace', run_at := now() + interval '1 second');
      END $$;

      -- Every tenant starts with the default policies: one on the promise, one on the need.
      CREATE FUNCTION kept_default_alert_policies(p_tenant uuid) RETURNS void LANGUAGE sql AS $$
        INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach,
          repeat_every_minutes, escalate_after_minutes, at_risk, channels, recipient_roles)
        VALUES
          (p_tenant, 'Promise watch', 'promised', 'business', '{0.5,0.75,0.9}', '{30}', true, 30, 60, true,
           '{in_app,email,webhook}', '{dispatcher,manager}'),
          (p_tenant, 'Need watch', 'required', 'wall', '{0.5,0.75,0.9}', '{30}', true, 30, 60, true,
           '{in_app,email,webhook}', '{dispatcher,manager}')
        ON CONFLICT (tenant_id, name) DO NOTHING
      $$;
      CREATE FUNCTION kept_organization_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE previous text := current_setting('app.tenant_id', true);
      BEGIN
        PERFORM set_config('app.tenant_id', NEW.id::text, true);
        PERFORM kept_default_alert_policies(NEW.id);
        PERFORM set_config('app.tenant_id', coalesce(previous, ''), true);
        RETURN NULL;
      END $$;
      CREATE TRIGGER organizations_defaults AFTER INSERT ON organizations
        FOR EACH ROW EXECUTE FUNCTION kept_organization_defaults();
    `);
    await q.query(`
      DO $$ DECLARE t uuid; BEGIN
        FOR t IN SELECT id FROM organizations LOOP
          PERFORM set_config('app.tenant_id', t::text, true);
          PERFORM kept_default_alert_policies(t);
        END LOOP;
      END $$;

      GRANT SELECT, INSERT, UPDATE, DELETE ON alert_policies, notification_preferences, webhook_endpoints TO kept_app;
      GRANT SELECT, INSERT, UPDATE ON alerts, deliveries, email_digests TO kept_app;
      GRANT EXECUTE ON FUNCTION kept_default_alert_policies(uuid) TO kept_app;
      REVOKE ALL ON FUNCTION kept_enqueue_replan(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_enqueue_replan(uuid) TO kept_app;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS organizations_defaults ON organizations;
      DROP FUNCTION IF EXISTS kept_organization_defaults();
      DROP FUNCTION IF EXISTS kept_default_alert_policies(uuid);
      DROP TABLE IF EXISTS worker_heartbeats, email_digests, deliveries, webhook_endpoints, notification_preferences, alerts, alert_policies;
      DROP FUNCTION IF EXISTS kept_schedule_alert_job();
      DROP FUNCTION IF EXISTS kept_enqueue_replan(uuid);
      DROP FUNCTION IF EXISTS kept_schedule_delivery_job();
      DROP TRIGGER IF EXISTS cases_required_version ON cases;
      DROP FUNCTION IF EXISTS kept_bump_required_version();
      ALTER TABLE cases DROP COLUMN IF EXISTS required_version;
    `);
  }
}
