import { Injectable } from '@nestjs/common';
import type { AnalyticsQuery, BoardQuery, CaseStatus, PromiseBreakdown } from '@kept/contracts';
import { BOARD_STATUSES } from '@kept/contracts';
import { TenantContext } from '../../common/database/tenant-context';
import { CaseEntity } from '../cases';

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

/** Read-only queries for the board and analytics; each runs in the request's tenant transaction (RLS). */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get em() {
    return this.tenant.manager;
  }

  async boardCases(query: BoardQuery): Promise<CaseEntity[]> {
    const statuses: CaseStatus[] = query.status?.length
      ? query.status.filter((s) => (BOARD_STATUSES as readonly string[]).includes(s))
      : [...BOARD_STATUSES];
    if (statuses.length === 0) return [];
    const qb = this.em.createQueryBuilder(CaseEntity, 'c').where('c.status IN (:...statuses)', { statuses });
    if (query.category) qb.andWhere('c.category = :category', { category: query.category });
    if (query.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: query.customerId });
    // Both filters are served by the partial indexes cases_open_assignee_idx / cases_open_team_idx.
    if (query.engineerId) qb.andWhere('c.assignee_id = :engineerId', { engineerId: query.engineerId });
    if (query.team) qb.andWhere('c.team = :team', { team: query.team });
    // A generous cap: the board is for open work, not history.
    return qb.orderBy('c.opened_at', 'ASC').take(1000).getMany();
  }

  /** The milestone kinds each case has reached, in one query. */
  async milestonesReached(caseIds: string[]): Promise<Map<string, string[]>> {
    if (caseIds.length === 0) return new Map();
    const rows: { case_id: string; kinds: string[] }[] = await this.em.query(
      `SELECT case_id, array_agg(DISTINCT kind) AS kinds FROM case_milestones WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.case_id, r.kinds]));
  }

  /** The breakdown of each case's current promise version, in one query (cases without one are absent). */
  async currentBreakdowns(caseIds: string[]): Promise<Map<string, PromiseBreakdown>> {
    if (caseIds.length === 0) return new Map();
    const rows: { case_id: string; breakdown: PromiseBreakdown }[] = await this.em.query(
      `SELECT p.case_id, p.breakdown FROM case_promises p JOIN cases c ON c.id = p.case_id AND p.version = c.promise_version
        WHERE p.case_id = ANY($1::uuid[]) AND p.breakdown IS NOT NULL`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.case_id, r.breakdown]));
  }

  /** Facets for the board's filters: values present among open cases. */
  async boardFacets() {
    const categories: { category: string }[] = await this.em.query(
      `SELECT DISTINCT category FROM cases WHERE status IN ('open','paused','fixed') ORDER BY category`,
    );
    const customers: { id: string; name: string }[] = await this.em.query(
      `SELECT DISTINCT cu.id, cu.name FROM cases c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.status IN ('open','paused','fixed') ORDER BY cu.name`,
    );
    const teams: { team: string }[] = await this.em.query(
      `SELECT DISTINCT team FROM cases WHERE status IN ('open','paused','fixed') AND team IS NOT NULL ORDER BY team`,
    );
    return { categories: categories.map((c) => c.category), customers, teams: teams.map((t) => t.team) };
  }

  async engineers(): Promise<{ id: string; name: string; team: string | null; open_cases: number; next_promise_at: Date | null }[]> {
    return this.em.query(
      `SELECT u.id, u.name, u.team,
              count(c.id)::int AS open_cases,
              min(c.promised_at) AS next_promise_at
         FROM users u
         LEFT JOIN cases c ON c.assignee_id = u.id AND c.status IN ('open','paused','fixed')
        WHERE u.role = 'engineer' AND u.active
        GROUP BY u.id, u.name, u.team
        ORDER BY u.name`,
    );
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
