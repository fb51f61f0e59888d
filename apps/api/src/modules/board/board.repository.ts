import { Injectable } from '@nestjs/common';
import type { CaseStatus, PromiseBreakdown } from '@kept/contracts';
import { In } from 'typeorm';
import { TenantContext } from '../../common/database/tenant-context';
import { CaseEntity } from '../cases';
import type { BoardPosition } from './board.cursor';

/** What the board shows, all applied in SQL. */
export interface BoardFilter {
  /** Board statuses to show (a subset of open, paused, fixed; never empty). */
  statuses: CaseStatus[];
  /** Board ranks to show (indexes in the domain's BOARD_RANK_CLASSES), or null for all. */
  ranks: number[] | null;
  /** Text search: reference, summary or customer name (see {@link searchTerms}). */
  search?: string;
  category?: string;
  customerId?: string;
  engineerId?: string;
  team?: string;
}

export interface BoardRow {
  id: string;
  rank: number;
  /** Microseconds since the epoch (decimal), null without a deadline. */
  deadline: string | null;
}

export interface BoardCountRow {
  /** Both ranks of the missed class (past both deadlines, past one). */
  missed: number;
  at_risk: number;
  on_track: number;
  fixed: number;
}

/**
 * The board's SQL. `OPEN` is spelled out literally so the planner matches the partial index
 * `cases_board_idx` (…WHERE status IN ('open','paused','fixed')): closed history is never read.
 *
 * The rank of an open case at `now` — the domain's `boardRank` (libs/domain/src/risk/signal.ts), whose
 * classes are BOARD_RANK_CLASSES: 0 past both promise and need, 1 past one of them (missed), 2 at risk,
 * 3 on track, 4 fixed. A paused case is judged at the start of its pause (`paused_since`, its clock
 * stands still), the rest at `now`; `at_risk_at` is the instant from which the domain's assessRisk flags
 * it, stored by the alert planner. Every column read is in `cases_board_idx` (index-only scans).
 */
const OPEN = `c.status IN ('open','paused','fixed')`;
const DEADLINE = `coalesce(least(c.promised_at, c.required_at), 'infinity'::timestamptz)`;
const RANK = (now: string) => `CASE
    WHEN c.promised_at <= coalesce(c.paused_since, ${now}) AND c.required_at <= coalesce(c.paused_since, ${now}) THEN 0
    WHEN least(c.promised_at, c.required_at) <= coalesce(c.paused_since, ${now}) THEN 1
    WHEN c.at_risk_at <= coalesce(c.paused_since, ${now}) THEN 2
    WHEN c.status = 'fixed' THEN 4
    ELSE 3 END`;

/** What a search text matches: a `LIKE` pattern for summaries and customer names, and a case number when it reads as a reference. */
export function searchTerms(text: string): { pattern: string; number: number | null } {
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const ref = /^(?:k-?)?(\d{1,9})$/i.exec(text.trim());
  return { pattern, number: ref ? Number(ref[1]) : null };
}

@Injectable()
export class BoardRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get em() {
    return this.tenant.manager;
  }

  /** The WHERE clause of the open cases matching the filter (not the class), with its parameters from `$first`. */
  private where(filter: BoardFilter, params: unknown[]): string {
    const add = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const tenant = add(this.tenant.tenantId);
    let where = `c.tenant_id = ${tenant} AND ${OPEN}`;
    if (filter.statuses.length < 3) where += ` AND c.status = ANY(${add(filter.statuses)}::text[])`;
    if (filter.category) where += ` AND c.category = ${add(filter.category)}`;
    if (filter.customerId) where += ` AND c.customer_id = ${add(filter.customerId)}::uuid`;
    if (filter.engineerId) where += ` AND c.assignee_id = ${add(filter.engineerId)}::uuid`;
    if (filter.team) where += ` AND c.team = ${add(filter.team)}`;
    if (filter.search) {
      // One arm per way to match, their ids unioned (an OR across them would stop the planner from using
      // any index): the matching customers' open cases (cases_open_customer_idx), the reference's number
      // (the unique (tenant_id, number)), and the summaries of the tenant's open cases, read from the heap.
      // No trigram index on summaries: ILIKE is not leakproof, so under row-level security PostgreSQL may
      // not evaluate it in an index scan ahead of the tenant policy and never would use one for kept_app
      // (bench/board/search.mjs shows both plans). Reading the open cases' summaries costs about what the
      // board's order already costs (it reads every open case's index entry): at 60,000 open cases a
      // search page took 0.5–1.5× an unsearched one (two runs).
      const { pattern, number } = searchTerms(filter.search);
      const p = add(pattern);
      const arms = [
        `SELECT s.id FROM cases s WHERE s.tenant_id = ${tenant} AND s.status IN ('open','paused','fixed') AND s.summary ILIKE ${p}`,
        `SELECT s.id FROM cases s JOIN customers cu ON cu.id = s.customer_id
           WHERE s.tenant_id = ${tenant} AND s.status IN ('open','paused','fixed') AND cu.tenant_id = ${tenant} AND cu.name ILIKE ${p}`,
      ];
      if (number !== null) arms.push(`SELECT s.id FROM cases s WHERE s.tenant_id = ${tenant} AND s.number = ${add(number)}`);
      where += ` AND c.id IN (${arms.join(' UNION ')})`;
    }
    return where;
  }

  /** One page in board order after `after` (exclusive): ids with their sort keys. */
  async page(filter: BoardFilter, now: Date, after: BoardPosition | null, limit: number): Promise<BoardRow[]> {
    const params: unknown[] = [now];
    const where = this.where(filter, params);
    const outer: string[] = [];
    if (filter.ranks) {
      params.push(filter.ranks);
      outer.push(`b.rank = ANY($${params.length}::int[])`);
    }
    if (after) {
      params.push(after.rank, after.deadline, after.id);
      const n = params.length;
      const deadline = `coalesce('epoch'::timestamptz + $${n - 1}::bigint * interval '1 microsecond', 'infinity'::timestamptz)`;
      outer.push(`(b.rank, b.deadline, b.id) > ($${n - 2}::int, ${deadline}, $${n}::uuid)`);
    }
    params.push(limit);
    const rows: { id: string; rank: number; deadline: string | null }[] = await this.em.query(
      `SELECT b.id, b.rank,
              CASE WHEN b.deadline <> 'infinity' THEN (extract(epoch FROM b.deadline) * 1000000)::bigint::text END AS deadline FROM (
         SELECT c.id, ${DEADLINE} AS deadline, ${RANK('$1::timestamptz')} AS rank FROM cases c WHERE ${where}) b
        ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
        ORDER BY b.rank, b.deadline, b.id
        LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ id: r.id, rank: Number(r.rank), deadline: r.deadline }));
  }

  /** Exact open cases per class for the filter (one aggregate over the partial index). */
  async counts(filter: BoardFilter, now: Date): Promise<BoardCountRow> {
    const params: unknown[] = [now];
    const where = this.where(filter, params);
    const [row]: BoardCountRow[] = await this.em.query(
      `SELECT count(*) FILTER (WHERE rank <= 1)::int AS missed, count(*) FILTER (WHERE rank = 2)::int AS at_risk,
              count(*) FILTER (WHERE rank = 3)::int AS on_track, count(*) FILTER (WHERE rank = 4)::int AS fixed
         FROM (SELECT ${RANK('$1::timestamptz')} AS rank FROM cases c WHERE ${where}) b`,
      params,
    );
    return row;
  }

  /** The page's cases, in the order of `ids`. */
  async cases(ids: string[]): Promise<CaseEntity[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.em.findBy(CaseEntity, { id: In(ids) })).map((c) => [c.id, c]));
    return ids.flatMap((id) => found.get(id) ?? []);
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

  /**
   * Facets for the board's filters: the distinct values among the tenant's open cases, each found by
   * skipping through a partial index (one probe per distinct value, never a read of every open case):
   * cases_open_category_idx, cases_open_customer_idx, cases_open_team_idx.
   */
  async facets(): Promise<{ categories: string[]; customers: { id: string; name: string }[]; teams: string[] }> {
    // ORDER BY … LIMIT 1 rather than min(): PostgreSQL before 18 has no min(uuid).
    const next = (column: string, after: string) =>
      `(SELECT c.${column} FROM cases c WHERE c.tenant_id = $1 AND ${OPEN} AND c.${column} IS NOT NULL ${after} ORDER BY c.${column} LIMIT 1)`;
    const distinct = (column: string) => `WITH RECURSIVE v(x) AS (
        SELECT ${next(column, '')}
        UNION ALL
        SELECT ${next(column, `AND c.${column} > v.x`)} FROM v WHERE v.x IS NOT NULL)
      SELECT x FROM v WHERE x IS NOT NULL`;
    const tenantId = this.tenant.tenantId;
    const categories: { x: string }[] = await this.em.query(distinct('category'), [tenantId]);
    const customers: { id: string; name: string }[] = await this.em.query(
      `SELECT cu.id, cu.name FROM customers cu WHERE cu.id IN (${distinct('customer_id')}) ORDER BY cu.name, cu.id`,
      [tenantId],
    );
    const teams: { x: string }[] = await this.em.query(distinct('team'), [tenantId]);
    return { categories: categories.map((r) => r.x), customers, teams: teams.map((r) => r.x) };
  }

  /** Active engineers, for the engineer filter (no counts: cheap whatever the open work). */
  async activeEngineers(): Promise<{ id: string; name: string; team: string | null }[]> {
    return this.em.query(`SELECT id, name, team FROM users WHERE role = 'engineer' AND active ORDER BY name, id`);
  }

  /** Active engineers with their open cases and the soonest promise among them. */
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
}
