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

/** One group of the summary's single pass ({@link AnalyticsRepository.summaryRows}). */
export interface SummarySqlRow {
  set: 'total' | 'week' | 'late' | 'margin' | 'category' | 'customer' | 'engineer' | 'team';
  /** The breakdown's key or the week (YYYY-MM-DD); null for the total and the histograms. */
  key: string | null;
  label: string | null;
  /** The histogram bucket (0 … edges.length); null outside the histograms, or when a time is missing. */
  bucket: number | null;
  closed: number;
  /** Closed cases that had a promise. */
  promised: number;
  kept: number;
  missed: number;
  need_met: number;
  need_missed: number;
  median_late_hours: number | null;
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

  /** Unsatisfied cases (open, paused, fixed): the summary's `open` total. */
  async openCount(): Promise<number> {
    const [row]: { open: number }[] = await this.em.query(`SELECT count(*)::int AS open FROM cases WHERE status IN ('open','paused','fixed')`);
    return row.open;
  }

  async targetKeepRate(): Promise<number> {
    const [row]: { target: string }[] = await this.em.query(`SELECT target_keep_rate AS target FROM organizations WHERE id = $1`, [
      this.tenant.tenantId,
    ]);
    return row ? Number(row.target) : 0.9;
  }

  /**
   * Every aggregate of the summary over the cases satisfied in [from, to), in ONE pass: the range is read
   * once through cases_satisfied_range_idx, each case's engineer and team are resolved once, and
   * GROUPING SETS produce the totals, the weeks, both histograms and the four breakdowns (with their
   * exact medians) from those rows. Rows come ordered by set, then as each part is shown (breakdowns by
   * closed cases descending, then label).
   *
   * The engineer of a case: its assignee, else whoever recorded its latest fix (looked up only for
   * unassigned cases: one index probe each, none for assigned ones); its team: the case's team, else the
   * team of that engineer.
   */
  async summaryRows(query: AnalyticsQuery, from: Date, to: Date): Promise<SummarySqlRow[]> {
    const { where, params } = this.closedFilter(query, from, to);
    params.push(HISTOGRAM_EDGES_HOURS);
    const edges = `$${params.length}::float8[]`;
    // Seven sorts of the range's rows (one per grouping set) fit in memory; JIT compilation would cost
    // more than the whole query (≈100 ms). Both settings end with the request's transaction.
    await this.em.query(`SET LOCAL work_mem = '32MB'`);
    await this.em.query(`SET LOCAL jit = off`);
    // The rows are grouped by compact keys: uuids, a timestamp, and texts under the "C" collation (byte
    // order; equality is the same as under the database's collation, sorting much cheaper). Labels keep
    // the database's collation: min(label) and the output order are exactly those of a plain GROUP BY.
    const rows: SummarySqlRow[] = await this.em.query(
      `WITH closed AS MATERIALIZED (
         SELECT c.category COLLATE "C" AS category, c.category AS category_label, c.customer_id, cu.name AS customer_name,
                COALESCE(c.assignee_id, f.actor_id) AS engineer_id,
                COALESCE(a.name, f.actor_name, 'Unassigned') AS engineer_label,
                COALESCE(c.team, CASE WHEN c.assignee_id IS NOT NULL THEN a.team ELSE f.team END, 'none') COLLATE "C" AS team_key,
                COALESCE(c.team, CASE WHEN c.assignee_id IS NOT NULL THEN a.team ELSE f.team END, 'No team') AS team_label,
                date_trunc('week', c.satisfied_at AT TIME ZONE 'UTC') AS week,
                width_bucket(extract(epoch FROM c.satisfied_at - c.promised_at) / 3600.0, ${edges}) AS late_bucket,
                width_bucket(extract(epoch FROM c.promised_at - c.required_at) / 3600.0, ${edges}) AS margin_bucket,
                extract(epoch FROM c.satisfied_at - c.promised_at) / 3600.0 AS late_hours,
                c.promised_at IS NOT NULL AS promised,
                c.satisfied_at <= c.promised_at AS kept,
                c.satisfied_at <= c.required_at AS need_met
           FROM cases c
           JOIN customers cu ON cu.id = c.customer_id
           LEFT JOIN users a ON a.id = c.assignee_id
           LEFT JOIN LATERAL (SELECT m.actor_id, m.actor_name, fu.team FROM case_milestones m
                                LEFT JOIN users fu ON fu.id = m.actor_id
                               WHERE a.id IS NULL AND m.case_id = c.id AND m.kind = 'fixed'
                               ORDER BY m.at DESC LIMIT 1) f ON true
          WHERE ${where}),
       grouped AS (
       SELECT CASE WHEN grouping(category) = 0 THEN 'category' WHEN grouping(customer_id) = 0 THEN 'customer'
                   WHEN grouping(engineer_id) = 0 THEN 'engineer' WHEN grouping(team_key) = 0 THEN 'team'
                   WHEN grouping(week) = 0 THEN 'week' WHEN grouping(late_bucket) = 0 THEN 'late'
                   WHEN grouping(margin_bucket) = 0 THEN 'margin' ELSE 'total' END AS set,
              CASE WHEN grouping(category) = 0 THEN min(category_label) WHEN grouping(customer_id) = 0 THEN customer_id::text
                   WHEN grouping(engineer_id) = 0 THEN COALESCE(engineer_id::text, 'unassigned') WHEN grouping(team_key) = 0 THEN min(team_key)::text
                   WHEN grouping(week) = 0 THEN to_char(week, 'YYYY-MM-DD') END AS key,
              CASE WHEN grouping(category) = 0 THEN min(category_label) WHEN grouping(customer_id) = 0 THEN min(customer_name)
                   WHEN grouping(engineer_id) = 0 THEN min(engineer_label) WHEN grouping(team_key) = 0 THEN min(team_label) END AS label,
              COALESCE(late_bucket, margin_bucket) AS bucket,
              count(*)::int AS closed,
              count(*) FILTER (WHERE promised)::int AS promised,
              count(*) FILTER (WHERE kept)::int AS kept,
              count(*) FILTER (WHERE NOT kept)::int AS missed,
              count(*) FILTER (WHERE need_met)::int AS need_met,
              count(*) FILTER (WHERE NOT need_met)::int AS need_missed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY late_hours) FILTER (WHERE promised) AS median_late_hours
         FROM closed
        GROUP BY GROUPING SETS ((category), (customer_id), (engineer_id), (team_key), (week), (late_bucket), (margin_bucket), ()))
       SELECT * FROM grouped
        ORDER BY set, CASE WHEN set IN ('week', 'late', 'margin', 'total') THEN 0 ELSE -closed END, label, key, bucket`,
      params,
    );
    return rows;
  }

  /**
   * Calibration: decided promises (satisfied in the range, or still unsatisfied with the promise passed
   * inside the range) binned by the keep-probability of the case's current promise version.
   */
  async calibration(query: AnalyticsQuery, from: Date, to: Date, now: Date): Promise<CalibrationSqlRow[]> {
    const params: unknown[] = [from, to, now, CALIBRATION_EDGES];
    let filter = '';
    if (query.category) {
      params.push(query.category);
      filter += ` AND c.category = $${params.length}`;
    }
    if (query.customerId) {
      params.push(query.customerId);
      filter += ` AND c.customer_id = $${params.length}`;
    }
    // Two range reads (UNION ALL, one per partial index) instead of one OR over the whole history; the
    // current version's keep-probability is on the case (cases.promise_keep_probability, kept by triggers).
    const rows: { bucket: number; promises: number; kept: number; predicted: string | number }[] = await this.em.query(
      `WITH decided AS (
         SELECT c.promise_keep_probability AS p, c.satisfied_at <= c.promised_at AS kept FROM cases c
          WHERE c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2 AND c.promised_at IS NOT NULL
            AND c.promise_keep_probability IS NOT NULL${filter}
         UNION ALL
         SELECT c.promise_keep_probability, false FROM cases c
          WHERE c.status IN ('open','paused','fixed') AND c.promised_at >= $1 AND c.promised_at < $2 AND c.promised_at < $3
            AND c.promise_keep_probability IS NOT NULL${filter})
       SELECT width_bucket(p, $4::float8[]) AS bucket,
              count(*)::int AS promises,
              count(*) FILTER (WHERE kept)::int AS kept,
              avg(p) AS predicted
         FROM decided
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ bucket: Number(r.bucket), promises: r.promises, kept: r.kept, predicted: Number(r.predicted) }));
  }

  /**
   * Per stress level (the survey's, else the intake's): keep-rate, need met, median gaps and the CSAT
   * answers of the cases satisfied in [from, to). One pass over the same range as the summary.
   */
  async byStress(query: AnalyticsQuery, from: Date, to: Date): Promise<StressSqlRow[]> {
    const { where, params } = this.closedFilter(query, from, to);
    return this.em.query(
      `WITH closed AS (
         SELECT COALESCE(s.stress, c.stress_level)::int AS stress, s.csat,
                extract(epoch FROM c.satisfied_at - c.promised_at) / 3600.0 AS late_hours,
                extract(epoch FROM c.promised_at - c.required_at) / 3600.0 AS margin_hours,
                extract(epoch FROM c.satisfied_at - c.required_at) / 3600.0 AS need_hours,
                c.satisfied_at <= c.promised_at AS kept,
                c.satisfied_at <= c.required_at AS need_met
           FROM cases c
           LEFT JOIN case_surveys s ON s.case_id = c.id
          WHERE ${where})
       SELECT stress,
              count(*)::int AS closed,
              count(*) FILTER (WHERE kept)::int AS kept,
              count(*) FILTER (WHERE NOT kept)::int AS missed,
              count(*) FILTER (WHERE need_met)::int AS need_met,
              count(*) FILTER (WHERE NOT need_met)::int AS need_missed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY late_hours) AS median_late_hours,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY margin_hours) AS median_margin_hours,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY need_hours) AS median_need_hours,
              count(csat)::int AS surveys,
              avg(csat)::float8 AS mean_csat,
              ARRAY[count(*) FILTER (WHERE csat = 1), count(*) FILTER (WHERE csat = 2), count(*) FILTER (WHERE csat = 3),
                    count(*) FILTER (WHERE csat = 4), count(*) FILTER (WHERE csat = 5)]::int[] AS csat_counts
         FROM closed
        GROUP BY stress
        ORDER BY stress NULLS LAST`,
      params,
    );
  }
}

export interface StressSqlRow {
  stress: number | null;
  closed: number;
  kept: number;
  missed: number;
  need_met: number;
  need_missed: number;
  median_late_hours: number | null;
  median_margin_hours: number | null;
  median_need_hours: number | null;
  surveys: number;
  mean_csat: number | null;
  csat_counts: number[];
}
