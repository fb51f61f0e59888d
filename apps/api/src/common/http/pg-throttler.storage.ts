import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';

/**
 * @nestjs/throttler's storage on PostgreSQL, so every API process counts against the same limits (the
 * default in-memory storage counts per process). One call of `kept_throttle_hit` (migration
 * 1764710000000) counts the hit and answers whether the key is blocked, atomically under a row lock.
 */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export class PgThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [row] = (await this.dataSource.query('SELECT * FROM kept_throttle_hit($1, $2, $3, $4)', [
      `${throttlerName}:${key}`,
      Math.round(ttl),
      limit,
      Math.round(blockDuration),
    ])) as { total_hits: number; ms_to_expire: number; ms_to_unblock: number }[];
    return {
      totalHits: row.total_hits,
      // Seconds, as the library's own storage answers (they become X-RateLimit-Reset and Retry-After).
      timeToExpire: Math.ceil(row.ms_to_expire / 1000),
      isBlocked: row.ms_to_unblock > 0,
      timeToBlockExpire: Math.ceil(row.ms_to_unblock / 1000),
    };
  }
}
