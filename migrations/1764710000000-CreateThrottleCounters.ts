import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API process (log-in throttling by account and by client).
 * Not tenant data: the table has no grant to `kept_app`; the runtime role reaches it only through
 * `kept_throttle_hit`, a SECURITY DEFINER function that counts one hit atomically (row lock on the key)
 * and says whether the key is blocked and for how long. Expired rows are swept now and then by the
 * same function, so the table stays as small as the set of recently active keys.
 */
export class CreateThrottleCounters1764710000000 implements MigrationInterface {
  name = 'CreateThrottleCounters1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE throttle_counters (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        expires_at timestamptz NOT NULL,
        blocked_until timestamptz
      );

      CREATE FUNCTION kept_throttle_hit(p_key text, p_ttl_ms integer, p_limit integer, p_block_ms integer,
                                        OUT total_hits integer, OUT ms_to_expire integer, OUT ms_to_unblock integer)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        r throttle_counters;
        t timestamptz := clock_timestamp();
      BEGIN
        INSERT INTO throttle_counters (key, hits, expires_at) VALUES (p_key, 0, t) ON CONFLICT (key) DO NOTHING;
        SELECT * INTO r FROM throttle_counters WHERE key = p_key FOR UPDATE;
        IF r.blocked_until IS NOT NULL AND r.blocked_until > t THEN
          -- Blocked: refused without counting, until the block ends.
          total_hits := r.hits;
          ms_to_expire := greatest(0, ceil(extract(epoch FROM r.expires_at - t) * 1000))::integer;
          ms_to_unblock := ceil(extract(epoch FROM r.blocked_until - t) * 1000)::integer;
          RETURN;
        END IF;
        IF r.expires_at <= t OR r.blocked_until IS NOT NULL THEN
          -- The window (or a block) is over: a fresh window starts with this hit.
          r.hits := 0;
          r.expires_at := t + p_ttl_ms * interval '1 millisecond';
          r.blocked_until := NULL;
        END IF;
        r.hits := r.hits + 1;
        IF r.hits > p_limit THEN
          r.blocked_until := t + p_block_ms * interval '1 millisecond';
        END IF;
        UPDATE throttle_counters SET hits = r.hits, expires_at = r.expires_at, blocked_until = r.blocked_until WHERE key = p_key;
        total_hits := r.hits;
        ms_to_expire := greatest(0, ceil(extract(epoch FROM r.expires_at - t) * 1000))::integer;
        ms_to_unblock := coalesce(ceil(extract(epoch FROM r.blocked_until - t) * 1000)::integer, 0);
        IF random() < 0.01 THEN
          DELETE FROM throttle_counters WHERE expires_at < t AND (blocked_until IS NULL OR blocked_until < t);
        END IF;
      END $$;

      REVOKE ALL ON FUNCTION kept_throttle_hit(text, integer, integer, integer) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION kept_throttle_hit(text, integer, integer, integer) TO kept_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION IF EXISTS kept_throttle_hit(text, integer, integer, integer);
      DROP TABLE IF EXISTS throttle_counters;
    `);
  }
}
