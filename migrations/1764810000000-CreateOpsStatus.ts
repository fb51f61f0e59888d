import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the readiness probe and the metrics scrape ask of the database, in one cheap call each, without
 * the runtime role `kept_app` seeing the job queue's tables or the migrations table (both owned by the
 * owning role; no tenant data in either):
 * - `kept_queue_stats()`: jobs waiting in graphile-worker's queue, how many are due now, and the age in
 *   seconds of the oldest due job nobody has locked (0 when none);
 * - `kept_queue_reachable()`: whether the queue's table answers (the readiness probe: one row, not a count);
 * - `kept_applied_migrations()`: the names of the applied migrations (the probe compares them with the
 *   build's list: a process newer than its schema is not ready).
 */
export class CreateOpsStatus1764810000000 implements MigrationInterface {
  name = 'CreateOpsStatus1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION kept_queue_stats(OUT waiting bigint, OUT due bigint, OUT oldest_due_seconds double precision)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        SELECT count(*),
               count(*) FILTER (WHERE j.run_at <= now()),
               coalesce(extract(epoch FROM now() - min(j.run_at) FILTER (WHERE j.run_at <= now() AND j.locked_at IS NULL)), 0)::double precision
          FROM graphile_worker._private_jobs j
         WHERE j.attempts < j.max_attempts
      $$;
      REVOKE ALL ON FUNCTION kept_queue_stats() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_queue_stats() TO kept_app;

      CREATE FUNCTION kept_queue_reachable() RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        SELECT true FROM (SELECT 1 FROM graphile_worker._private_jobs LIMIT 1) one UNION ALL SELECT true LIMIT 1
      $$;
      REVOKE ALL ON FUNCTION kept_queue_reachable() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_queue_reachable() TO kept_app;

      CREATE FUNCTION kept_applied_migrations() RETURNS text[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT coalesce(array_agg(name ORDER BY id), '{}') FROM migrations
      $$;
      REVOKE ALL ON FUNCTION kept_applied_migrations() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_applied_migrations() TO kept_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_applied_migrations();
      DROP FUNCTION IF EXISTS kept_queue_reachable();
      DROP FUNCTION IF EXISTS kept_queue_stats();
    `);
  }
}
