import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys expire after 24 hours and never hold a secret:
 * - `response_headers` keeps the ETag and Location a replay repeats;
 * - `kept_expire_idempotency_keys` (SECURITY DEFINER: the worker's hourly job deletes across tenants,
 *   which row-level security would not let `kept_app` do) deletes keys older than the given age;
 * - status-link responses already stored with their token are cut down to the link's id.
 */
export class ExpireIdempotencyKeys1764710000001 implements MigrationInterface {
  name = 'ExpireIdempotencyKeys1764710000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE idempotency_keys ADD COLUMN response_headers jsonb;
      CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

      UPDATE idempotency_keys
         SET response_body = jsonb_build_object('id', response_body->'id', 'secretWithheld', true)
       WHERE path LIKE '%/status-links' AND response_body IS NOT NULL;

      CREATE FUNCTION kept_expire_idempotency_keys(p_max_age_hours integer) RETURNS integer
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH gone AS (
          DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => p_max_age_hours) RETURNING 1
        )
        SELECT count(*)::integer FROM gone
      $$;
      REVOKE ALL ON FUNCTION kept_expire_idempotency_keys(integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_expire_idempotency_keys(integer) TO kept_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_expire_idempotency_keys(integer);
      DROP INDEX IF EXISTS idempotency_keys_created_idx;
      ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS response_headers;
    `);
  }
}
