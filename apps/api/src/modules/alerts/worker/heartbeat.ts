import { hostname } from 'node:os';
import type { Pool } from 'pg';

export interface HeartbeatOptions {
  /** How often this process reports that it is alive. */
  intervalMs: number;
  /** A pool silent for this long is presumed dead: its locked jobs are released for the others. */
  staleAfterMs: number;
}

/**
 * graphile-worker's open-source edition keeps a hard-killed worker's jobs locked for hours. Each pool
 * therefore reports here every `intervalMs`; every live pool also sweeps: jobs locked by a pool that
 * has been silent for `staleAfterMs` are unlocked with graphile-worker's own `force_unlock_workers`,
 * so another worker runs them within seconds. The alert's unique key and its state guard make a
 * re-run harmless if the presumed-dead worker had in fact finished.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(
    private readonly owner: Pool,
    private readonly poolId: string,
    private readonly options: HeartbeatOptions,
    private readonly onError: (err: Error) => void,
  ) {}

  async start(): Promise<void> {
    await this.owner.query(
      `INSERT INTO worker_heartbeats (pool_id, host, pid) VALUES ($1, $2, $3)
       ON CONFLICT (pool_id) DO UPDATE SET last_seen = now()`,
      [this.poolId, hostname(), process.pid],
    );
    this.timer = setInterval(() => {
      if (this.beating) return;
      this.beating = this.beat()
        .then(() => undefined)
        .catch((err: Error) => this.onError(err))
        .finally(() => {
          this.beating = null;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    await this.owner.query(`DELETE FROM worker_heartbeats WHERE pool_id = $1`, [this.poolId]).catch(() => undefined);
  }

  /** Reports in, then releases the jobs of pools that stopped reporting. Returns the pools released. */
  async beat(): Promise<string[]> {
    await this.owner.query(`UPDATE worker_heartbeats SET last_seen = now() WHERE pool_id = $1`, [this.poolId]);
    const stale = `make_interval(secs => $1::double precision / 1000)`;
    const { rows } = await this.owner.query<{ locked_by: string }>(
      `SELECT DISTINCT j.locked_by FROM graphile_worker._private_jobs j
        WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - ${stale}
          AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.pool_id = j.locked_by AND h.last_seen >= now() - ${stale})`,
      [this.options.staleAfterMs],
    );
    const dead = rows.map((r) => r.locked_by);
    if (dead.length) {
      await this.owner.query(`SELECT graphile_worker.force_unlock_workers($1::text[])`, [dead]);
      await this.owner.query(`DELETE FROM worker_heartbeats WHERE pool_id = ANY($1::text[])`, [dead]);
    }
    await this.owner.query(`DELETE FROM worker_heartbeats WHERE last_seen < now() - interval '1 day'`);
    return dead;
  }
}
