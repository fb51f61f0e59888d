import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case numbers without a hot row lock. Until now each create ran `UPDATE organizations SET case_counter
 * = case_counter + 1`, which holds the tenant's organization row locked until the request's transaction
 * ends: concurrent creates of one tenant queued on it (8.3 of 10 pool sessions waited at 50 connections).
 *
 * Now every tenant has its own sequence, `case_numbers_<tenant id without dashes>`, created with the
 * tenant (a trigger on organizations) and here for each existing tenant, starting after its
 * case_counter. `nextval` takes no lock that lasts beyond the call, so writers never wait on each other.
 * Numbers stay unique per tenant (cases_tenant_id_number_key stays); a rolled-back create leaves a gap,
 * which is accepted: a case number identifies, it does not count.
 *
 * Only SECURITY DEFINER functions touch the sequences: `kept_next_case_number()` and
 * `kept_reserve_case_numbers(n)` (the history import) advance the sequence of the tenant bound to the
 * transaction (`app.tenant_id`), never one named by the caller; kept_app has no privilege on any
 * sequence itself, so a tenant cannot advance another's.
 *
 * `organizations.case_counter` stays as the floor that seeds and bulk loads set: raising it (`SET
 * case_counter = N`) moves the tenant's sequence past N (a trigger). It is no longer advanced per case;
 * `kept_case_number_last(tenant)` (owner only) tells the last number handed out. The trigger's move is
 * not atomic with concurrent creates of that tenant: it is meant for seeding, not for a live tenant.
 */
export class CaseNumberSequences1764620000000 implements MigrationInterface {
  name = 'CaseNumberSequences1764620000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION kept_case_number_sequence(p_tenant uuid) RETURNS text LANGUAGE sql IMMUTABLE AS
      $$ SELECT format('public.%I', 'case_numbers_' || replace(p_tenant::text, '-', '')) $$;

      CREATE FUNCTION kept_case_numbers_create() RETURNS trigger LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        EXECUTE format('CREATE SEQUENCE %s AS integer MINVALUE 1 START WITH %s NO CYCLE',
                       kept_case_number_sequence(NEW.id), NEW.case_counter + 1);
        RETURN NULL;
      END $$;

      CREATE FUNCTION kept_case_numbers_drop() RETURNS trigger LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        EXECUTE format('DROP SEQUENCE IF EXISTS %s', kept_case_number_sequence(OLD.id));
        RETURN NULL;
      END $$;

      -- Raising case_counter (seeds, bulk loads) moves the sequence past it; lowering it changes nothing.
      CREATE FUNCTION kept_case_numbers_floor() RETURNS trigger LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        seq regclass := kept_case_number_sequence(NEW.id)::regclass;
        last bigint;
        called boolean;
      BEGIN
        EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO last, called;
        IF NEW.case_counter > (CASE WHEN called THEN last ELSE last - 1 END) THEN
          PERFORM setval(seq, NEW.case_counter, true);
        END IF;
        RETURN NEW;
      END $$;

      CREATE TRIGGER organizations_case_numbers_create AFTER INSERT ON organizations
        FOR EACH ROW EXECUTE FUNCTION kept_case_numbers_create();
      CREATE TRIGGER organizations_case_numbers_drop AFTER DELETE ON organizations
        FOR EACH ROW EXECUTE FUNCTION kept_case_numbers_drop();
      CREATE TRIGGER organizations_case_numbers_floor AFTER UPDATE OF case_counter ON organizations
        FOR EACH ROW WHEN (NEW.case_counter > OLD.case_counter) EXECUTE FUNCTION kept_case_numbers_floor();

      -- The next number of the tenant bound to the transaction. No tenant bound: an error, no number.
      CREATE FUNCTION kept_next_case_number() RETURNS integer LANGUAGE plpgsql VOLATILE
      SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE tenant uuid := kept_current_tenant();
      BEGIN
        IF tenant IS NULL THEN RAISE EXCEPTION 'no tenant bound to the transaction (app.tenant_id)'; END IF;
        RETURN nextval(kept_case_number_sequence(tenant)::regclass);
      END $$;

      -- n numbers for a bulk import, ascending (not necessarily contiguous under concurrent creates).
      CREATE FUNCTION kept_reserve_case_numbers(n integer) RETURNS integer[] LANGUAGE plpgsql VOLATILE
      SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        tenant uuid := kept_current_tenant();
        seq regclass;
      BEGIN
        IF tenant IS NULL THEN RAISE EXCEPTION 'no tenant bound to the transaction (app.tenant_id)'; END IF;
        seq := kept_case_number_sequence(tenant)::regclass;
        RETURN ARRAY(SELECT nextval(seq)::integer FROM generate_series(1, n) ORDER BY 1);
      END $$;

      -- The last number handed out to a tenant (or its floor when none was): for operators and tests.
      CREATE FUNCTION kept_case_number_last(p_tenant uuid) RETURNS integer LANGUAGE plpgsql STABLE AS $$
      DECLARE last bigint; called boolean;
      BEGIN
        EXECUTE format('SELECT last_value, is_called FROM %s', kept_case_number_sequence(p_tenant)) INTO last, called;
        RETURN CASE WHEN called THEN last ELSE last - 1 END;
      END $$;

      REVOKE ALL ON FUNCTION kept_next_case_number() FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_reserve_case_numbers(integer) FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_case_number_last(uuid) FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_case_numbers_create() FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_case_numbers_drop() FROM PUBLIC;
      REVOKE ALL ON FUNCTION kept_case_numbers_floor() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_next_case_number() TO kept_app;
      GRANT EXECUTE ON FUNCTION kept_reserve_case_numbers(integer) TO kept_app;
    `);
    // Existing tenants: a sequence each, after the highest number in use (the counter, or a case above it).
    await q.query(`
      DO $$
      DECLARE o record;
      BEGIN
        FOR o IN SELECT org.id, greatest(org.case_counter, (SELECT max(c.number) FROM cases c WHERE c.tenant_id = org.id)) AS floor
                   FROM organizations org LOOP
          EXECUTE format('CREATE SEQUENCE %s AS integer MINVALUE 1 START WITH %s NO CYCLE',
                         kept_case_number_sequence(o.id), coalesce(o.floor, 0) + 1);
        END LOOP;
      END $$;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Back to the counter row: it takes the last number each sequence handed out.
    await q.query(`
      DROP TRIGGER IF EXISTS organizations_case_numbers_floor ON organizations;
      DROP TRIGGER IF EXISTS organizations_case_numbers_create ON organizations;
      DROP TRIGGER IF EXISTS organizations_case_numbers_drop ON organizations;
      UPDATE organizations SET case_counter = greatest(case_counter, kept_case_number_last(id))
       WHERE to_regclass(kept_case_number_sequence(id)) IS NOT NULL;
      DO $$
      DECLARE o record;
      BEGIN
        FOR o IN SELECT id FROM organizations LOOP
          EXECUTE format('DROP SEQUENCE IF EXISTS %s', kept_case_number_sequence(o.id));
        END LOOP;
      END $$;
      DROP FUNCTION IF EXISTS kept_next_case_number();
      DROP FUNCTION IF EXISTS kept_reserve_case_numbers(integer);
      DROP FUNCTION IF EXISTS kept_case_number_last(uuid);
      DROP FUNCTION IF EXISTS kept_case_numbers_floor();
      DROP FUNCTION IF EXISTS kept_case_numbers_drop();
      DROP FUNCTION IF EXISTS kept_case_numbers_create();
      DROP FUNCTION IF EXISTS kept_case_number_sequence(uuid);
    `);
  }
}
