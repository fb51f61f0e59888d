/**
 * A token bucket per key (client IP), in memory: `capacity` requests at once, refilled at
 * `refillPerSecond`. One API process is the unit; several processes each keep their own buckets.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds until the next token. */
  take(key: string, nowMs: number): number {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    b.tokens = Math.min(this.capacity, b.tokens + ((nowMs - b.at) / 1000) * this.refillPerSecond);
    b.at = nowMs;
    this.buckets.delete(key);
    this.buckets.set(key, b); // most recently used last
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.refillPerSecond);
  }
}
