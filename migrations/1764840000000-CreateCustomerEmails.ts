import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Optional e-mails to the customer (issue 14) and the tenant's branding settings:
 * - `organizations.customer_emails` (opt-in, off by default), `default_language` (a new customer's language),
 *   and an uploaded logo (`brand_logo` bytea + its type, at most 256 KB) next to the existing accent colour;
 * - `customers.emails_unsubscribed_at`: set once by her unsubscribe link; no mail is queued or sent after it;
 * - `customer_emails`: an outbox like `deliveries`, one row per (case, event, source): a promise change
 *   (a `promisedAt` ledger entry that is not the first promise and not her own answer), the engineer on the
 *   way (an `engineer_eta` milestone), the fix (a `fixedAt` ledger entry). Rows are queued by triggers in the
 *   same transaction as the event, so no event is lost and none is queued twice (the unique key); a
 *   `deliver_customer_email` job per row (job key `customer-email:<id>`) sends it and marks it delivered
 *   only while it is still pending, as the alert deliveries do.
 */
export class CreateCustomerEmails1764840000000 implements MigrationInterface {
  name = 'CreateCustomerEmails1764840000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organizations
        ADD COLUMN customer_emails boolean NOT NULL DEFAULT false,
        ADD COLUMN default_language text NOT NULL DEFAULT 'en' CHECK (default_language IN ('en','de')),
        ADD COLUMN brand_logo bytea CHECK (octet_length(brand_logo) <= 262144),
        ADD COLUMN brand_logo_type text CHECK (brand_logo_type IN ('image/png','image/jpeg','image/webp')),
        -- Optimistic concurrency of the settings screen (If-Match).
        ADD COLUMN settings_version integer NOT NULL DEFAULT 1,
        ADD CONSTRAINT organizations_brand_logo_pair_check CHECK ((brand_logo IS NULL) = (brand_logo_type IS NULL));
      ALTER TABLE customers ADD COLUMN emails_unsubscribed_at timestamptz;

      CREATE TABLE customer_emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        event text NOT NULL CHECK (event IN ('promise_changed','engineer_on_way','fixed')),
        -- What caused it: 'ledger:<id>' or 'milestone:<id>'. One e-mail per cause, whatever re-runs.
        source_key text NOT NULL,
        recipient text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','abandoned','skipped')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz,
        -- Set (and committed) by the job that sends it: a second runner of the same row finds it taken.
        claimed_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, event, source_key)
      );
      CREATE INDEX customer_emails_case_idx ON customer_emails (tenant_id, case_id, created_at);
      ALTER TABLE customer_emails ENABLE ROW LEVEL SECURITY;
      ALTER TABLE customer_emails FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON customer_emails
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT, UPDATE ON customer_emails TO kept_app;

      -- Queues one e-mail if the tenant opted in and the customer has an address and has not unsubscribed.
      -- Runs in the event's transaction, under its tenant (row-level security applies).
      CREATE FUNCTION kept_queue_customer_email(p_case uuid, p_event text, p_source text) RETURNS void
        LANGUAGE sql AS $$
        INSERT INTO customer_emails (tenant_id, case_id, customer_id, event, source_key, recipient, next_attempt_at)
        SELECT c.tenant_id, c.id, cu.id, p_event, p_source, cu.email, now()
          FROM cases c JOIN customers cu ON cu.id = c.customer_id JOIN organizations o ON o.id = c.tenant_id
         WHERE c.id = p_case AND o.customer_emails AND cu.email IS NOT NULL AND cu.email <> ''
           AND cu.emails_unsubscribed_at IS NULL AND c.status NOT IN ('satisfied','cancelled')
        ON CONFLICT (case_id, event, source_key) DO NOTHING
      $$;

      CREATE FUNCTION kept_customer_email_from_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.field = 'promisedAt' AND NEW.old_value IS NOT NULL AND NEW.actor_kind <> 'customer' THEN
          PERFORM kept_queue_customer_email(NEW.case_id, 'promise_changed', 'ledger:' || NEW.id);
        ELSIF NEW.field = 'fixedAt' AND NEW.new_value IS NOT NULL THEN
          PERFORM kept_queue_customer_email(NEW.case_id, 'fixed', 'ledger:' || NEW.id);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER case_ledger_customer_email AFTER INSERT ON case_ledger
        FOR EACH ROW WHEN (NEW.field IN ('promisedAt','fixedAt'))
        EXECUTE FUNCTION kept_customer_email_from_ledger();

      CREATE FUNCTION kept_customer_email_from_milestone() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM kept_queue_customer_email(NEW.case_id, 'engineer_on_way', 'milestone:' || NEW.id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER case_milestones_customer_email AFTER INSERT ON case_milestones
        FOR EACH ROW WHEN (NEW.kind = 'engineer_eta')
        EXECUTE FUNCTION kept_customer_email_from_milestone();

      -- One job per pending row and next attempt (the same pattern as kept_schedule_delivery_job).
      CREATE FUNCTION kept_schedule_customer_email_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        IF NEW.state = 'pending' AND NEW.next_attempt_at IS NOT NULL
           AND (TG_OP = 'INSERT' OR OLD.next_attempt_at IS DISTINCT FROM NEW.next_attempt_at OR OLD.state <> 'pending') THEN
          PERFORM graphile_worker.add_job(
            'deliver_customer_email',
            json_build_object('emailId', NEW.id, 'tenantId', NEW.tenant_id),
            run_at := NEW.next_attempt_at,
            max_attempts := 10,
            job_key := 'customer-email:' || NEW.id,
            job_key_mode := 'replace'
          );
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER customer_emails_schedule AFTER INSERT OR UPDATE OF next_attempt_at, state ON customer_emails
        FOR EACH ROW EXECUTE FUNCTION kept_schedule_customer_email_job();

      -- The unsubscribe link works before any tenant is known (like kept_status_link_scope): it only ever
      -- sets the customer's unsubscribe time (once) and skips her e-mails still waiting.
      CREATE FUNCTION kept_unsubscribe_customer(p_customer uuid) RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        UPDATE customers SET emails_unsubscribed_at = now() WHERE id = p_customer AND emails_unsubscribed_at IS NULL;
        UPDATE customer_emails SET state = 'skipped', last_error = 'unsubscribed', next_attempt_at = NULL
         WHERE customer_id = p_customer AND state = 'pending';
      END $$;
      REVOKE ALL ON FUNCTION kept_unsubscribe_customer(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_unsubscribe_customer(uuid) TO kept_app;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_unsubscribe_customer(uuid);
      DROP TRIGGER IF EXISTS customer_emails_schedule ON customer_emails;
      DROP FUNCTION IF EXISTS kept_schedule_customer_email_job();
      DROP TRIGGER IF EXISTS case_milestones_customer_email ON case_milestones;
      DROP FUNCTION IF EXISTS kept_customer_email_from_milestone();
      DROP TRIGGER IF EXISTS case_ledger_customer_email ON case_ledger;
      DROP FUNCTION IF EXISTS kept_customer_email_from_ledger();
      DROP FUNCTION IF EXISTS kept_queue_customer_email(uuid, text, text);
      DROP TABLE IF EXISTS customer_emails;
      ALTER TABLE customers DROP COLUMN IF EXISTS emails_unsubscribed_at;
      ALTER TABLE organizations DROP CONSTRAINT IF EXISTS organizations_brand_logo_pair_check,
        DROP COLUMN IF EXISTS settings_version, DROP COLUMN IF EXISTS brand_logo_type, DROP COLUMN IF EXISTS brand_logo,
        DROP COLUMN IF EXISTS default_language, DROP COLUMN IF EXISTS customer_emails;
    `);
  }
}
