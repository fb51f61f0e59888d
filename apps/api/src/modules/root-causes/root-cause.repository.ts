import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../common/database/tenant-context';
import { sqlOfManager } from '../../common/database/sql';
import type { QueueRow, RootCauseRow } from './root-cause.mapper';

const SELECT = `SELECT r.*, c.number AS case_number, u.name AS owner_name
  FROM root_causes r JOIN cases c ON c.id = r.case_id LEFT JOIN users u ON u.id = r.owner_id`;

/**
 * Satisfied after its promise or its need (the SQL form of `needsRootCause` in libs/domain, kept in step with
 * it and with the partial index `cases_late_satisfied_idx`).
 */
export const LATE_SATISFIED = `c.status = 'satisfied' AND (c.satisfied_at > c.promised_at OR c.satisfied_at > c.required_at)`;

/** Data access for root causes, tenant-scoped by the request's transaction. */
@Injectable()
export class RootCauseRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql() {
    return sqlOfManager(this.tenant.manager);
  }

  async caseOf(id: string): Promise<{ id: string; status: string; team: string | null; promised_at: Date | null; required_at: Date | null; satisfied_at: Date | null } | null> {
    const [row] = await this.sql<{ id: string; status: string; team: string | null; promised_at: Date | null; required_at: Date | null; satisfied_at: Date | null }>(
      `SELECT id, status, team, promised_at, required_at, satisfied_at FROM cases WHERE id = $1 FOR NO KEY UPDATE`,
      [id],
    );
    return row ?? null;
  }

  async activeUser(id: string): Promise<boolean> {
    return (await this.sql(`SELECT 1 FROM users WHERE id = $1 AND active`, [id])).length > 0;
  }

  async insert(r: {
    caseId: string;
    category: string;
    whys: string[];
    correctiveAction: string;
    ownerId: string;
    dueAt: Date;
    minutesLost: number;
    team: string | null;
    recordedBy: string | null;
    recordedAt: Date;
  }): Promise<string | null> {
    const [row] = await this.sql<{ id: string }>(
      `INSERT INTO root_causes (tenant_id, case_id, category, whys, corrective_action, owner_id, due_at, minutes_lost, team, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id) DO NOTHING RETURNING id`,
      [this.tenant.tenantId, r.caseId, r.category, r.whys, r.correctiveAction, r.ownerId, r.dueAt, r.minutesLost, r.team, r.recordedBy, r.recordedAt],
    );
    return row?.id ?? null;
  }

  async byId(id: string): Promise<RootCauseRow | null> {
    const [row] = await this.sql<RootCauseRow>(`${SELECT} WHERE r.id = $1`, [id]);
    return row ?? null;
  }

  async ofCase(caseId: string): Promise<RootCauseRow | null> {
    const [row] = await this.sql<RootCauseRow>(`${SELECT} WHERE r.case_id = $1`, [caseId]);
    return row ?? null;
  }

  list(open: boolean): Promise<RootCauseRow[]> {
    return this.sql<RootCauseRow>(`${SELECT} ${open ? 'WHERE r.done_at IS NULL' : ''} ORDER BY r.due_at, r.id LIMIT 500`);
  }

  async markDone(id: string, at: Date): Promise<boolean> {
    return (await this.sql(`UPDATE root_causes SET done_at = $2 WHERE id = $1 AND done_at IS NULL RETURNING id`, [id, at])).length === 1;
  }

  queue(): Promise<QueueRow[]> {
    return this.sql<QueueRow>(
      `SELECT c.id, c.number, c.summary, c.team, c.satisfied_at, c.promised_at, c.required_at FROM cases c
        WHERE ${LATE_SATISFIED} AND NOT EXISTS (SELECT 1 FROM root_causes r WHERE r.case_id = c.id)
        ORDER BY c.satisfied_at, c.id LIMIT 500`,
    );
  }

  async queuedCount(): Promise<number> {
    const [row] = await this.sql<{ n: string }>(
      `SELECT count(*) AS n FROM cases c WHERE ${LATE_SATISFIED} AND NOT EXISTS (SELECT 1 FROM root_causes r WHERE r.case_id = c.id)`,
    );
    return Number(row.n);
  }

  byCategoryAndTeam(from: Date | null, to: Date | null): Promise<{ category: string; team: string | null; count: string; minutes: string }[]> {
    return this.sql(
      `SELECT category, team, count(*) AS count, sum(minutes_lost) AS minutes FROM root_causes
        WHERE ($1::timestamptz IS NULL OR recorded_at >= $1) AND ($2::timestamptz IS NULL OR recorded_at < $2)
        GROUP BY category, team ORDER BY category, team NULLS FIRST`,
      [from, to],
    );
  }

  async actionCounts(now: Date): Promise<{ open: number; overdue: number }> {
    const [row] = await this.sql<{ open: string; overdue: string }>(
      `SELECT count(*) AS open, count(*) FILTER (WHERE due_at < $1) AS overdue FROM root_causes WHERE done_at IS NULL`,
      [now],
    );
    return { open: Number(row.open), overdue: Number(row.overdue) };
  }
}
