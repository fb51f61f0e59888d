import { MigrationInterface, QueryRunner } from 'typeorm';

/** The job trigger of 1764000000000-CreateAlerts, restored by `down`. */
const SCHEDULE_PENDING_ONLY = `
  CREATE OR REPLACE FUNCTION kept_schedule_alert_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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
  END $$;`;

/**
 * One repeat alert per case, policy and deadline version, instead of a row per repeat (issue 13: a demo
 * case had 19 copies of "still missed" after a start). The `repeat` alert fires again every N minutes
 * while open: `repeat_count` counts its firings and `last_fired_at` tells the latest; `due_at` is its
 * next time. Exactly once per firing: the fire job's UPDATE requires `due_at > last_fired_at`, and
 * moves `last_fired_at` past it.
 *
 * - The job trigger now also schedules a fired (open) repeat alert that has a next time, and removes
 *   its job when it is acknowledged, cancelled or loses its next time.
 * - Deliveries get `repeat_number` (0 for every alert but a repeat; a repeat's firing number), part of
 *   their uniqueness: each firing of a repeat is delivered once per recipient, as the policy asks.
 * - Existing `repeat:k` rows of a case, policy and version fold into their latest: renamed `repeat`,
 *   carrying the count and last firing; the older ones are cancelled (their history stays).
 */
export class CollapseAlertRepeats1764730000000 implements MigrationInterface {
  name = 'CollapseAlertRepeats1764730000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alerts ADD COLUMN repeat_count integer NOT NULL DEFAULT 0 CHECK (repeat_count >= 0),
                         ADD COLUMN last_fired_at timestamptz;

      CREATE OR REPLACE FUNCTION kept_schedule_alert_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        -- Waiting to fire: a pending alert, or an open repeat alert with its next time.
        IF NEW.due_at IS NOT NULL AND (NEW.state = 'pending' OR (NEW.kind = 'repeat' AND NEW.state = 'fired')) THEN
          IF TG_OP = 'INSERT' OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.state NOT IN ('pending', 'fired') THEN
            PERFORM graphile_worker.add_job(
              'fire_alert',
              json_build_object('alertId', NEW.id, 'tenantId', NEW.tenant_id),
              run_at := NEW.due_at,
              max_attempts := 50,
              job_key := 'alert:' || NEW.id,
              job_key_mode := 'replace'
            );
          END IF;
        ELSIF TG_OP = 'UPDATE' AND OLD.due_at IS NOT NULL AND (OLD.state = 'pending' OR (OLD.kind = 'repeat' AND OLD.state = 'fired'))
              AND (NEW.state IN ('cancelled','acknowledged') OR NEW.due_at IS NULL) THEN
          PERFORM graphile_worker.remove_job('alert:' || NEW.id);
        END IF;
        RETURN NULL;
      END $$;

      ALTER TABLE deliveries ADD COLUMN repeat_number integer NOT NULL DEFAULT 0;
      DROP INDEX deliveries_webhook_once;
      DROP INDEX deliveries_email_once;
      CREATE UNIQUE INDEX deliveries_webhook_once ON deliveries (alert_id, endpoint_id, repeat_number) WHERE channel = 'webhook';
      CREATE UNIQUE INDEX deliveries_email_once ON deliveries (alert_id, user_id, repeat_number) WHERE channel = 'email' AND alert_id IS NOT NULL;
    `);
    // Fold the old per-repeat rows, one tenant bound at a time (RLS is forced, even for the owner).
    await q.query(`
      DO $$ DECLARE t uuid; BEGIN
        FOR t IN SELECT id FROM organizations LOOP
          PERFORM set_config('app.tenant_id', t::text, true);
          UPDATE alerts SET last_fired_at = fired_at WHERE tenant_id = t AND fired_at IS NOT NULL AND state <> 'cancelled';
          WITH g AS (
            SELECT id, state, fired_at,
                   row_number() OVER w_desc AS rn,
                   count(*) FILTER (WHERE fired_at IS NOT NULL AND state <> 'cancelled') OVER w AS fired,
                   min(fired_at) FILTER (WHERE state <> 'cancelled') OVER w AS first_fired,
                   max(fired_at) FILTER (WHERE state <> 'cancelled') OVER w AS last_fired
              FROM alerts
             WHERE tenant_id = t AND kind = 'repeat' AND rule_key LIKE 'repeat:%'
            WINDOW w AS (PARTITION BY case_id, policy_id, target_version),
                   w_desc AS (PARTITION BY case_id, policy_id, target_version
                              ORDER BY (state <> 'cancelled') DESC, split_part(rule_key, ':', 2)::int DESC)
          ), older AS (
            UPDATE alerts a SET state = 'cancelled', updated_at = now()
              FROM g WHERE a.id = g.id AND g.rn > 1 AND a.state <> 'cancelled'
            RETURNING a.id
          )
          UPDATE alerts a
             SET rule_key = 'repeat', repeat_count = g.fired, last_fired_at = g.last_fired,
                 state = CASE WHEN a.state = 'pending' AND g.fired > 0 THEN 'fired' ELSE a.state END,
                 fired_at = CASE WHEN a.state = 'pending' AND g.fired > 0 THEN g.first_fired ELSE a.fired_at END,
                 updated_at = now()
            FROM g WHERE a.id = g.id AND g.rn = 1;
        END LOOP;
        PERFORM set_config('app.tenant_id', '', true);
      END $$;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ DECLARE t uuid; BEGIN
        FOR t IN SELECT id FROM organizations LOOP
          PERFORM set_config('app.tenant_id', t::text, true);
          UPDATE alerts a SET rule_key = 'repeat:' || (1 + coalesce(
                   (SELECT max(split_part(o.rule_key, ':', 2)::int) FROM alerts o
                     WHERE o.case_id = a.case_id AND o.policy_id = a.policy_id AND o.target_version = a.target_version
                       AND o.rule_key LIKE 'repeat:%'), 0))
           WHERE a.tenant_id = t AND a.rule_key = 'repeat';
          DELETE FROM deliveries d WHERE d.tenant_id = t AND d.repeat_number > 0 AND EXISTS (
            SELECT 1 FROM deliveries o WHERE o.alert_id = d.alert_id AND o.channel = d.channel
               AND o.endpoint_id IS NOT DISTINCT FROM d.endpoint_id AND o.user_id IS NOT DISTINCT FROM d.user_id
               AND o.repeat_number < d.repeat_number);
        END LOOP;
        PERFORM set_config('app.tenant_id', '', true);
      END $$;
      DROP INDEX deliveries_webhook_once;
      DROP INDEX deliveries_email_once;
      CREATE UNIQUE INDEX deliveries_webhook_once ON deliveries (alert_id, endpoint_id) WHERE channel = 'webhook';
      CREATE UNIQUE INDEX deliveries_email_once ON deliveries (alert_id, user_id) WHERE channel = 'email' AND alert_id IS NOT NULL;
      ALTER TABLE deliveries DROP COLUMN repeat_number;
      ${SCHEDULE_PENDING_ONLY}
      ALTER TABLE alerts DROP COLUMN repeat_count, DROP COLUMN last_fired_at;
    `);
  }
}
