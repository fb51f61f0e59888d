import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18 (the Monday 08:00 burst): alerts fire set-based instead of one graphile-worker job per alert.
 *
 * - One `fire_due_alerts` job per tenant and due second (key `fire:<tenant>:<epoch second>`, run at the
 *   second's start less 200 ms): the job fires, in batches of one statement each, every alert of its
 *   tenant that is due, waiting until the next one of its second falls due (see `AlertFiringService`).
 *   The alerts one INSERT adds are scheduled by one `add_jobs` call over their distinct seconds; an
 *   UPDATE that makes an alert wait at a new time adds (or moves) the job of its second. A cancelled or
 *   moved alert leaves its second's job alone (other alerts may share it): the job finds nothing to do.
 * - Deliveries are scheduled the same way (one `add_jobs` per INSERT statement) at a lower priority than
 *   firing (10; graphile-worker runs the smallest number first). How many send at once per endpoint is
 *   bounded by `delivery_slots`: a sender leases one of its lane's slots (`webhook:<endpoint>`, or the
 *   tenant's `email`) while it sends, or puts its job back for a moment. Not graphile-worker's named
 *   queues: with its local queue (which the workers use) 0.17 runs a named queue's jobs concurrently
 *   (graphile/worker#621).
 * - An index on the alerts waiting to fire, by tenant and due time, for the firing statement.
 *
 * The `fire_alert` jobs already queued are replaced by the jobs of their seconds (the worker still runs
 * a `fire_alert` job it meets, for a rolling deploy).
 */
const WAITING = `(state = 'pending' OR (kind = 'repeat' AND state = 'fired'))`;

export class FireAlertsInBatches1764800000000 implements MigrationInterface {
  name = 'FireAlertsInBatches1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX alerts_waiting_idx ON alerts (tenant_id, due_at) WHERE due_at IS NOT NULL AND ${WAITING}`);
    await q.query(`
      -- The job spec of the firing job of a tenant's second (one home for its key, payload and time).
      CREATE FUNCTION kept_fire_job_spec(p_tenant uuid, p_second bigint) RETURNS graphile_worker.job_spec
        LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
        SELECT ROW('fire_due_alerts', json_build_object('tenantId', p_tenant, 'second', p_second), NULL,
                   to_timestamp(p_second) - interval '200 milliseconds', 50, 'fire:' || p_tenant || ':' || p_second, NULL, NULL
               )::graphile_worker.job_spec
      $$;

      -- Deliveries in flight per lane (a webhook endpoint, or a tenant's e-mail): a sender takes one of the
      -- lane's slots for as long as it sends (a lease, so a killed sender's slot frees itself) or waits.
      CREATE TABLE delivery_slots (
        tenant_id uuid NOT NULL REFERENCES organizations(id),
        lane text NOT NULL,
        slot integer NOT NULL,
        delivery_id uuid NOT NULL,
        leased_until timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, lane, slot)
      );
      ALTER TABLE delivery_slots ENABLE ROW LEVEL SECURITY;
      ALTER TABLE delivery_slots FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON delivery_slots
        USING (tenant_id = kept_current_tenant()) WITH CHECK (tenant_id = kept_current_tenant());
      GRANT SELECT, INSERT, UPDATE, DELETE ON delivery_slots TO kept_app;

      -- The first free slot (0 … p_slots − 1) of the lane, leased to the delivery; null when all are taken.
      CREATE FUNCTION kept_take_delivery_slot(p_lane text, p_slots integer, p_delivery uuid, p_lease_ms integer) RETURNS integer
        LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
      DECLARE
        got integer;
      BEGIN
        FOR s IN 0 .. p_slots - 1 LOOP
          INSERT INTO delivery_slots AS d (tenant_id, lane, slot, delivery_id, leased_until)
          VALUES (kept_current_tenant(), p_lane, s, p_delivery, clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0))
          ON CONFLICT (tenant_id, lane, slot) DO UPDATE SET delivery_id = excluded.delivery_id, leased_until = excluded.leased_until
            WHERE d.leased_until < clock_timestamp() OR d.delivery_id = excluded.delivery_id
          RETURNING d.slot INTO got;
          IF got IS NOT NULL THEN RETURN got; END IF;
        END LOOP;
        RETURN NULL;
      END $$;

      CREATE OR REPLACE FUNCTION kept_schedule_inserted_alert_jobs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      DECLARE
        specs graphile_worker.job_spec[];
      BEGIN
        SELECT array_agg(kept_fire_job_spec(s.tenant_id, s.second) ORDER BY s.second, s.tenant_id)
          INTO specs
          FROM (SELECT DISTINCT n.tenant_id, floor(extract(epoch FROM n.due_at))::bigint AS second
                  FROM inserted n
                 WHERE n.due_at IS NOT NULL AND (n.state = 'pending' OR (n.kind = 'repeat' AND n.state = 'fired'))) s;
        IF specs IS NOT NULL THEN
          PERFORM graphile_worker.add_jobs(specs);
        END IF;
        RETURN NULL;
      END $$;

      CREATE OR REPLACE FUNCTION kept_schedule_alert_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        -- Waiting to fire at a new time: a pending alert, or an open repeat alert with its next time.
        IF NEW.due_at IS NOT NULL AND (NEW.state = 'pending' OR (NEW.kind = 'repeat' AND NEW.state = 'fired'))
           AND (OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.state NOT IN ('pending', 'fired')) THEN
          PERFORM graphile_worker.add_jobs(ARRAY[kept_fire_job_spec(NEW.tenant_id, floor(extract(epoch FROM NEW.due_at))::bigint)]);
        END IF;
        RETURN NULL;
      END $$;

      -- Only an UPDATE that makes an alert wait at a new time calls the function: firing a batch (pending → fired)
      -- queues no trigger event per row.
      DROP TRIGGER alerts_schedule ON alerts;
      CREATE TRIGGER alerts_schedule AFTER UPDATE OF due_at, state ON alerts FOR EACH ROW
        WHEN (NEW.due_at IS NOT NULL AND (NEW.state = 'pending' OR (NEW.kind = 'repeat' AND NEW.state = 'fired'))
              AND (OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.state NOT IN ('pending', 'fired')))
        EXECUTE FUNCTION kept_schedule_alert_job();

      CREATE FUNCTION kept_schedule_inserted_delivery_jobs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      DECLARE
        specs graphile_worker.job_spec[];
      BEGIN
        SELECT array_agg(ROW('deliver', json_build_object('deliveryId', n.id, 'tenantId', n.tenant_id),
                             NULL, n.next_attempt_at, 10,
                             'delivery:' || n.id, 10, NULL)::graphile_worker.job_spec ORDER BY n.next_attempt_at, n.id)
          INTO specs
          FROM inserted n
         WHERE n.state = 'pending' AND n.next_attempt_at IS NOT NULL;
        IF specs IS NOT NULL THEN
          PERFORM graphile_worker.add_jobs(specs);
        END IF;
        RETURN NULL;
      END $$;

      CREATE OR REPLACE FUNCTION kept_schedule_delivery_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
        IF NEW.state = 'pending' AND NEW.next_attempt_at IS NOT NULL
           AND (OLD.next_attempt_at IS DISTINCT FROM NEW.next_attempt_at OR OLD.state <> 'pending') THEN
          PERFORM graphile_worker.add_job(
            'deliver',
            json_build_object('deliveryId', NEW.id, 'tenantId', NEW.tenant_id),
            run_at := NEW.next_attempt_at,
            max_attempts := 10,
            job_key := 'delivery:' || NEW.id,
            job_key_mode := 'replace',
            priority := 10
          );
        END IF;
        RETURN NULL;
      END $$;

      DROP TRIGGER deliveries_schedule ON deliveries;
      CREATE TRIGGER deliveries_schedule AFTER UPDATE OF next_attempt_at, state ON deliveries
        FOR EACH ROW EXECUTE FUNCTION kept_schedule_delivery_job();
      CREATE TRIGGER deliveries_schedule_inserted AFTER INSERT ON deliveries REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION kept_schedule_inserted_delivery_jobs();
    `);
    // The queued per-alert jobs become the jobs of their seconds (every tenant: RLS is forced, even here).
    await q.query(`
      DO $$ DECLARE t uuid; specs graphile_worker.job_spec[]; BEGIN
        FOR t IN SELECT id FROM organizations LOOP
          PERFORM set_config('app.tenant_id', t::text, true);
          SELECT array_agg(kept_fire_job_spec(s.tenant_id, s.second)) INTO specs
            FROM (SELECT DISTINCT tenant_id, floor(extract(epoch FROM due_at))::bigint AS second
                    FROM alerts WHERE tenant_id = t AND due_at IS NOT NULL AND ${WAITING}) s;
          IF specs IS NOT NULL THEN PERFORM graphile_worker.add_jobs(specs); END IF;
        END LOOP;
        PERFORM set_config('app.tenant_id', '', true);
      END $$;
      DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks k
       WHERE k.id = j.task_id AND k.identifier = 'fire_alert' AND j.locked_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER deliveries_schedule_inserted ON deliveries;
      DROP TRIGGER deliveries_schedule ON deliveries;
      DROP FUNCTION kept_schedule_inserted_delivery_jobs();
      CREATE OR REPLACE FUNCTION kept_schedule_delivery_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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

      DROP TRIGGER alerts_schedule ON alerts;
      CREATE TRIGGER alerts_schedule AFTER UPDATE OF due_at, state ON alerts FOR EACH ROW EXECUTE FUNCTION kept_schedule_alert_job();
      CREATE OR REPLACE FUNCTION kept_schedule_alert_job() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      BEGIN
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

      CREATE OR REPLACE FUNCTION kept_schedule_inserted_alert_jobs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
      DECLARE
        specs graphile_worker.job_spec[];
      BEGIN
        SELECT array_agg(ROW('fire_alert', json_build_object('alertId', n.id, 'tenantId', n.tenant_id), NULL, n.due_at, 50,
                             'alert:' || n.id, NULL, NULL)::graphile_worker.job_spec ORDER BY n.due_at, n.id)
          INTO specs
          FROM inserted n
         WHERE n.state = 'pending' AND n.due_at IS NOT NULL;
        IF specs IS NOT NULL THEN
          PERFORM graphile_worker.add_jobs(specs);
        END IF;
        RETURN NULL;
      END $$;
    `);
    // Back to one job per waiting alert.
    await q.query(`
      DO $$ DECLARE t uuid; specs graphile_worker.job_spec[]; BEGIN
        FOR t IN SELECT id FROM organizations LOOP
          PERFORM set_config('app.tenant_id', t::text, true);
          SELECT array_agg(ROW('fire_alert', json_build_object('alertId', a.id, 'tenantId', a.tenant_id), NULL, a.due_at, 50,
                               'alert:' || a.id, NULL, NULL)::graphile_worker.job_spec) INTO specs
            FROM alerts a WHERE a.tenant_id = t AND a.due_at IS NOT NULL AND ${WAITING};
          IF specs IS NOT NULL THEN PERFORM graphile_worker.add_jobs(specs); END IF;
        END LOOP;
        PERFORM set_config('app.tenant_id', '', true);
      END $$;
      DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks k
       WHERE k.id = j.task_id AND k.identifier = 'fire_due_alerts' AND j.locked_at IS NULL;
      DROP FUNCTION kept_take_delivery_slot(text, integer, uuid, integer);
      DROP TABLE delivery_slots;
      DROP FUNCTION kept_fire_job_spec(uuid, bigint);
      DROP INDEX alerts_waiting_idx;
    `);
  }
}
