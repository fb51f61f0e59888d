import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recovery (issue 15): goodwill within empowerment limits, options instead of a bare no, and a root cause for
 * every miss.
 *
 * - `goodwill_settings`: one row per tenant — its currency, per-role limits (minor units), the compensation
 *   ladder, the non-money kinds with their values, and the list of options offered instead of a no.
 * - `goodwill_budgets`: a monthly budget per team.
 * - `goodwill_offers`: the offers of a case. The facts of an offer (kind, value, reason, who offered it) never
 *   change: a trigger refuses any UPDATE of them and every DELETE. Only the decision (`state`, `decided_by`,
 *   `decided_at`, once, from `approval_requested`) and the customer's answer (once) may be set.
 * - `goodwill_events`: the append-only ledger of what happened to each offer (offered, approval requested,
 *   granted, denied, accepted, declined), who and when; the API role may only insert and read it.
 * - `case_options`: options offered instead of a no and the one the customer chose (append-only).
 * - `root_causes`: one per missed case; its facts are fixed, its corrective action may be marked done.
 *
 * Every table has `tenant_id` and a forced RLS policy.
 */
export class CreateGoodwillAndRootCauses1764770000000 implements MigrationInterface {
  name = 'CreateGoodwillAndRootCauses1764770000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Recovery alerts (raised by the API, not planned from a deadline) share the alerts table and its channels.
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN
        ('fraction','lead','at_risk','breach','repeat','escalation','goodwill_approval','root_cause','action_overdue'));

      CREATE TABLE goodwill_settings (
        tenant_id uuid PRIMARY KEY REFERENCES organizations(id),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        limits jsonb NOT NULL,
        ladder bigint[] NOT NULL,
        kinds jsonb NOT NULL,
        options text[] NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE goodwill_budgets (
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        team text NOT NULL CHECK (length(btrim(team)) BETWEEN 1 AND 100),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, team, month)
      );

      CREATE TABLE goodwill_offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL,
        money boolean NOT NULL,
        value_minor bigint NOT NULL CHECK (value_minor > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        team text,
        reason text NOT NULL,
        gap_target text CHECK (gap_target IN ('promised','required')),
        gap_minutes integer,
        stress_level smallint,
        offered_by uuid REFERENCES users(id),
        offered_at timestamptz NOT NULL,
        state text NOT NULL CHECK (state IN ('given','approval_requested','denied')),
        needs_approval_because text,
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        customer_response text CHECK (customer_response IN ('accepted','declined')),
        responded_at timestamptz
      );
      CREATE INDEX goodwill_offers_case_idx ON goodwill_offers (tenant_id, case_id, offered_at);
      CREATE INDEX goodwill_offers_budget_idx ON goodwill_offers (tenant_id, team, offered_at) WHERE state = 'given';
      CREATE INDEX goodwill_offers_pending_idx ON goodwill_offers (tenant_id, offered_at) WHERE state = 'approval_requested';

      -- The facts of an offer are fixed; its decision and the customer's answer are each set once.
      CREATE FUNCTION kept_goodwill_offer_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'goodwill offers are append-only' USING ERRCODE = 'check_violation';
        END IF;
        IF (NEW.tenant_id, NEW.case_id, NEW.kind, NEW.money, NEW.value_minor, NEW.currency, NEW.team, NEW.reason,
            NEW.gap_target, NEW.gap_minutes, NEW.offered_by, NEW.offered_at, NEW.needs_approval_because)
           IS DISTINCT FROM
           (OLD.tenant_id, OLD.case_id, OLD.kind, OLD.money, OLD.value_minor, OLD.currency, OLD.team, OLD.reason,
            OLD.gap_target, OLD.gap_minutes, OLD.offered_by, OLD.offered_at, OLD.needs_approval_because)
           OR (OLD.state <> 'approval_requested' AND NEW.state IS DISTINCT FROM OLD.state)
           OR (OLD.decided_at IS NOT NULL AND (NEW.decided_at, NEW.decided_by) IS DISTINCT FROM (OLD.decided_at, OLD.decided_by))
           OR (OLD.customer_response IS NOT NULL AND NEW.customer_response IS DISTINCT FROM OLD.customer_response) THEN
          RAISE EXCEPTION 'goodwill offers are append-only' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER goodwill_offers_guard BEFORE UPDATE OR DELETE ON goodwill_offers
        FOR EACH ROW EXECUTE FUNCTION kept_goodwill_offer_guard();

      CREATE TABLE goodwill_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        offer_id uuid NOT NULL REFERENCES goodwill_offers(id),
        event text NOT NULL CHECK (event IN ('given','approval_requested','approved','denied','accepted','declined')),
        by_user uuid REFERENCES users(id),
        at timestamptz NOT NULL,
        note text
      );
      CREATE INDEX goodwill_events_offer_idx ON goodwill_events (offer_id, id);

      CREATE TABLE case_options (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        offered text[] NOT NULL CHECK (cardinality(offered) BETWEEN 1 AND 20),
        chosen text,
        note text,
        recorded_by uuid REFERENCES users(id),
        recorded_at timestamptz NOT NULL,
        CHECK (chosen IS NULL OR chosen = ANY(offered))
      );
      CREATE INDEX case_options_case_idx ON case_options (tenant_id, case_id, recorded_at);

      CREATE TABLE root_causes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
        category text NOT NULL CHECK (category IN ('parts','travel','diagnosis_longer','estimate_too_short','scheduling','customer_unavailable','other')),
        whys text[] NOT NULL CHECK (cardinality(whys) BETWEEN 1 AND 5),
        corrective_action text NOT NULL,
        owner_id uuid REFERENCES users(id),
        due_at timestamptz NOT NULL,
        done_at timestamptz,
        minutes_lost integer NOT NULL CHECK (minutes_lost > 0),
        team text,
        recorded_by uuid REFERENCES users(id),
        recorded_at timestamptz NOT NULL
      );
      CREATE INDEX root_causes_open_idx ON root_causes (tenant_id, due_at) WHERE done_at IS NULL;

      -- A root cause's facts are fixed; only done_at may be set, once.
      CREATE FUNCTION kept_root_cause_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           OR (NEW.tenant_id, NEW.case_id, NEW.category, NEW.whys, NEW.corrective_action, NEW.owner_id, NEW.due_at,
               NEW.minutes_lost, NEW.team, NEW.recorded_by, NEW.recorded_at)
              IS DISTINCT FROM
              (OLD.tenant_id, OLD.case_id, OLD.category, OLD.whys, OLD.corrective_action, OLD.owner_id, OLD.due_at,
               OLD.minutes_lost, OLD.team, OLD.recorded_by, OLD.recorded_at)
           OR (OLD.done_at IS NOT NULL AND NEW.done_at IS DISTINCT FROM OLD.done_at) THEN
          RAISE EXCEPTION 'root causes are append-only' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER root_causes_guard BEFORE UPDATE OR DELETE ON root_causes
        FOR EACH ROW EXECUTE FUNCTION kept_root_cause_guard();

      -- The root-cause queue reads satisfied cases that came late: an index on exactly those.
      CREATE INDEX cases_late_satisfied_idx ON cases (tenant_id, satisfied_at)
        WHERE status = 'satisfied' AND (satisfied_at > promised_at OR satisfied_at > required_at);
    `);
    for (const t of ['goodwill_settings', 'goodwill_budgets', 'goodwill_offers', 'goodwill_events', 'case_options', 'root_causes']) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${t}
          USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      `);
    }
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON goodwill_settings, goodwill_budgets, goodwill_offers, root_causes TO kept_app;
      GRANT SELECT, INSERT ON goodwill_events, case_options TO kept_app;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM alerts WHERE kind IN ('goodwill_approval','root_cause','action_overdue');
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check;
      ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('fraction','lead','at_risk','breach','repeat','escalation'));
      DROP INDEX IF EXISTS cases_late_satisfied_idx;
      DROP TABLE IF EXISTS root_causes;
      DROP FUNCTION IF EXISTS kept_root_cause_guard();
      DROP TABLE IF EXISTS case_options;
      DROP TABLE IF EXISTS goodwill_events;
      DROP TABLE IF EXISTS goodwill_offers;
      DROP FUNCTION IF EXISTS kept_goodwill_offer_guard();
      DROP TABLE IF EXISTS goodwill_budgets;
      DROP TABLE IF EXISTS goodwill_settings;
    `);
  }
}
