import { Injectable } from '@nestjs/common';
import type { AnalyticsQuery } from '@kept/contracts';
import { TenantContext } from '../../common/database/tenant-context';

/** Bucket edges (hours) for the gap histograms; width_bucket puts values into edges.length + 1 buckets. */
export const HISTOGRAM_EDGES_HOURS = [-24, -8, -4, -2, -1, 0, 1, 2, 4, 8, 24];

/** Upper edges of the calibration bins (promised keep-probability): [0, 0.5), [0.5, 0.6), …, [0.9, 1]. */
export const CALIBRATION_EDGES = [0.5, 0.6, 0.7, 0.8, 0.9];

export interface CalibrationSqlRow {
  bucket: number;
  promises: number;
  kept: number;
  predicted: number;
}

export interface BreakdownSqlRow {
  key: string | null;
  label: string | null;
  closed: number;
  kept: number;
  missed: number;
  need_met: number;
  need_missed: number;
  median_late_hours: number | null;
}

/** Read-only queries for analytics; each runs in the request's tenant transaction (RLS). */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get em() {
    return this.tenant.manager;
  }

  private closedFilter(query: AnalyticsQuery, from: Date, to: Date): { where: string; params: unknown[] } {
    const params: unknown[] = [from, to];
    let where = `c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2`;
    if (query.category) {
      params.push(query.category);
      where += ` AND c.category = $${params.length}`;
    }
    if (query.customerId) {
      params.push(query.customerId);
      where += ` AND c.customer_id = $${params.length}`;
    }
    return { where, params };
  }

  async totals(query: AnalyticsQuery, from: Date, to: Date) {
    const { where, params } = this.closedFilter(query, from, to);
    const [row]: { closed: number; kept: number; missed: number; need_met: number; need_missed: number }[] =
      await this.em.query(
        `SELECT count(*)::int AS closed,
                count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at <= c.promised_at)::int AS kept,
                count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at > c.promised_at)::int AS missed,
                count(*) FILTER (WHERE c.required_at IS NOT NULL AND c.satisfied_at <= c.required_at)::int AS need_met,
                count(*) FILTER (WHERE c.required_at IS NOT NULL AND c.satisfied_at > c.required_at)::int AS need_missed
           FROM cases c WHERE ${where}`,
        params,
      );
    const [open]: { open: number }[] = await this.em.query(
      `SELECT count(*)::int AS open FROM cases WHERE status IN ('open','paused','fixed')`,
    );
    return { ...row, open: open.open };
  }

  async targetKeepRate(): Promise<number> {
    const [row]: { target: string }[] = await this.em.query(`SELECT target_keep_rate AS target FROM organizations WHERE id = $1`, [
      this.tenant.tenantId,
    ]);
    return row ? Number(row.target) : 0.9;
  }

  async keepRateByWeek(query: AnalyticsQuery, from: Date, to: Date) {
    const { where, params } = this.closedFilter(query, from, to);
    return this.em.query(
      `SELECT to_char(date_trunc('week', c.satisfied_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
              count(*) FILTER (WHERE c.satisfied_at <= c.promised_at)::int AS kept,
              count(*) FILTER (WHERE c.satisfied_at > c.promised_at)::int AS missed
         FROM cases c WHERE ${where} AND c.promised_at IS NOT NULL
        GROUP BY 1 ORDER BY 1`,
      params,
    ) as Promise<{ period: string; kept: number; missed: number }[]>;
  }

  /** Counts per histogram bucket (0..edges.length) of `later − earlier` in hours. */
  async histogram(query: AnalyticsQuery, from: Date, to: Date, later: 'satisfied_at' | 'promised_at', earlier: 'promised_at' | 'required_at') {
    const { where, params } = this.closedFilter(query, from, to);
    params.push(HISTOGRAM_EDGES_HOURS);
    return this.em.query(
      `SELECT width_bucket(extract(epoch FROM c.${later} - c.${earlier}) / 3600.0, $${params.length}::float8[]) AS bucket,
              count(*)::int AS count
         FROM cases c WHERE ${where} AND c.${later} IS NOT NULL AND c.${earlier} IS NOT NULL
        GROUP BY 1 ORDER BY 1`,
      params,
    ) as Promise<{ bucket: number; count: number }[]>;
  }

  async breakdown(query: AnalyticsQuery, from: Date, to: Date, by: 'category' | 'customer' | 'engineer' | 'team'): Promise<BreakdownSqlRow[]> {
    const { where, params } = this.closedFilter(query, from, to);
    // The engineer of a case: its assignee, else whoever recorded the fix; its team: the case's team,
    // else the team of that engineer.
    const engineerJoin = `LEFT JOIN users a ON a.id = c.assignee_id
               LEFT JOIN LATERAL (SELECT m.actor_id, m.actor_name FROM case_milestones m
                                   WHERE m.case_id = c.id AND m.kind = 'fixed' ORDER BY m.at DESC LIMIT 1) f ON true`;
    const dims = {
      category: { key: 'c.category', label: 'c.category', join: '' },
      customer: { key: 'cu.id::text', label: 'cu.name', join: 'JOIN customers cu ON cu.id = c.customer_id' },
      engineer: {
        key: `COALESCE(c.assignee_id::text, f.actor_id::text, 'unassigned')`,
        label: `COALESCE(a.name, f.actor_name, 'Unassigned')`,
        join: engineerJoin,
      },
      team: {
        key: `COALESCE(c.team, eu.team, 'none')`,
        label: `COALESCE(c.team, eu.team, 'No team')`,
        join: `${engineerJoin}
               LEFT JOIN users eu ON eu.id = COALESCE(c.assignee_id, f.actor_id)`,
      },
    }[by];
    return this.em.query(
      `SELECT ${dims.key} AS key, min(${dims.label}) AS label,
              count(*)::int AS closed,
              count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at <= c.promised_at)::int AS kept,
              count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at > c.promised_at)::int AS missed,
              count(*) FILTER (WHERE c.required_at IS NOT NULL AND c.satisfied_at <= c.required_at)::int AS need_met,
              count(*) FILTER (WHERE c.required_at IS NOT NULL AND c.satisfied_at > c.required_at)::int AS need_missed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.satisfied_at - c.promised_at) / 3600.0)
                FILTER (WHERE c.promised_at IS NOT NULL) AS median_late_hours
         FROM cases c ${dims.join}
        WHERE ${where}
        GROUP BY 1 ORDER BY closed DESC, label`,
      params,
    );
  }

  /**
   * Calibration: decided promises (satisfied in the range, or still unsatisfied with the promise passed
   * inside the range) binned by the keep-probability of the case's current promise version.
   */
  async calibration(query: AnalyticsQuery, from: Date, to: Date, now: Date): Promise<CalibrationSqlRow[]> {
    const params: unknown[] = [from, to, now, CALIBRATION_EDGES];
    let where = `c.promised_at IS NOT NULL AND p.keep_probability IS NOT NULL AND (
        (c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2)
     OR (c.status IN ('open','paused','fixed') AND c.promised_at >= $1 AND c.promised_at < $2 AND c.promised_at < $3))`;
    if (query.category) {
      params.push(query.category);
      where += ` AND c.category = $${params.length}`;
    }
    if (query.customerId) {
      params.push(query.customerId);
      where += ` AND c.customer_id = $${params.length}`;
    }
    const rows: { bucket: number; promises: number; kept: number; predicted: string | number }[] = await this.em.query(
      `SELECT width_bucket(p.keep_probability, $4::float8[]) AS bucket,
              count(*)::int AS promises,
              count(*) FILTER (WHERE c.status = 'satisfied' AND c.satisfied_at <= c.promised_at)::int AS kept,
              avg(p.keep_probability) AS predicted
         FROM cases c
         JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
        WHERE ${where}
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ bucket: Number(r.bucket), promises: r.promises, kept: r.kept, predicted: Number(r.predicted) }));
  }
}
