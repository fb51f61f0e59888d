import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';

/** A live link's tenant, case and id: all the public entry point tells. */
export interface LinkScope {
  link_id: string;
  tenant_id: string;
  case_id: string;
}

export interface PublicCaseRow {
  reference: string;
  summary: string;
  status: 'open' | 'paused' | 'fixed' | 'satisfied' | 'cancelled';
  opened_at: Date;
  required_at: Date | null;
  context: string | null;
  promised_at: Date | null;
  promise_version: number;
  breakdown: Record<string, number> | null;
  fixed_at: Date | null;
  satisfied_at: Date | null;
  version: number;
  time_zone: string | null;
  organization: string;
  brand_accent: string | null;
  brand_logo_url: string | null;
  language: 'en' | 'de';
  engineer_name: string | null;
  reached: string[];
  on_way_note: string | null;
}

export interface PromiseChangeRow {
  at: Date;
  field: 'promisedAt' | 'proposal';
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  customer_accepted: 'yes' | 'no' | 'pending' | null;
}

export interface ProposalRow {
  id: string;
  case_id: string;
  promised_at: Date;
  breakdown: Record<string, number> | null;
  reason: string;
  state: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  created_at: Date;
  answered_at: Date | null;
  answer_note: string | null;
}

export interface SurveyRow {
  csat: number;
  stress: number;
  comment: string | null;
  answered_at: Date;
  updated_at: Date;
}

const PROPOSAL_COLUMNS = 'id, case_id, promised_at, breakdown, reason, state, created_at, answered_at, answer_note';

/**
 * Data access of the customer's side of a status link: the public look-up of a link's scope (outside any
 * tenant, through the SECURITY DEFINER function), then everything else inside the link's tenant (RLS).
 */
@Injectable()
export class CustomerStatusRepository {
  constructor(
    private readonly tenant: TenantContext,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private get sql() {
    return sqlOfManager(this.tenant.manager);
  }

  async scopeOf(tokenHash: Buffer, recordView: boolean): Promise<LinkScope | null> {
    const rows: LinkScope[] = await this.dataSource.query(
      `SELECT link_id, tenant_id, case_id FROM kept_status_link_scope($1, $2)`,
      [tokenHash, recordView],
    );
    return rows[0] ?? null;
  }

  async publicCase(caseId: string): Promise<PublicCaseRow | null> {
    const [row] = await this.sql<PublicCaseRow>(
      `SELECT 'K-' || c.number::text AS reference, c.summary, c.status, c.opened_at, c.required_at, c.context,
              c.promised_at, c.promise_version, p.breakdown, c.fixed_at, c.satisfied_at, c.version,
              s.time_zone, o.name AS organization, o.brand_accent, cu.language,
              -- An uploaded logo (Branding settings) wins over a configured URL; the version makes a new logo a new URL.
              CASE WHEN o.brand_logo IS NOT NULL THEN '/api/v1/public/brand/' || o.id::text || '/logo?v=' || o.settings_version::text
                   ELSE o.brand_logo_url END AS brand_logo_url,
              u.name AS engineer_name,
              ARRAY(SELECT DISTINCT m.kind FROM case_milestones m WHERE m.case_id = c.id) AS reached,
              (SELECT m.note FROM case_milestones m WHERE m.case_id = c.id AND m.kind = 'engineer_eta'
                ORDER BY m.at DESC, m.created_at DESC LIMIT 1) AS on_way_note
         FROM cases c
         JOIN organizations o ON o.id = c.tenant_id
         JOIN customers cu ON cu.id = c.customer_id
         LEFT JOIN sites s ON s.id = c.site_id
         LEFT JOIN users u ON u.id = c.assignee_id
         LEFT JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
        WHERE c.id = $1`,
      [caseId],
    );
    return row ?? null;
  }

  /** Every change of the promise and every proposal she declined, oldest first. */
  promiseHistory(caseId: string): Promise<PromiseChangeRow[]> {
    return this.sql<PromiseChangeRow>(
      `SELECT at, field, old_value, new_value, reason, customer_accepted FROM case_ledger
        WHERE case_id = $1 AND (field = 'promisedAt' OR (field = 'proposal' AND customer_accepted = 'no'))
        ORDER BY id`,
      [caseId],
    );
  }

  async pendingProposal(caseId: string): Promise<ProposalRow | null> {
    const [row] = await this.sql<ProposalRow>(
      `SELECT ${PROPOSAL_COLUMNS} FROM promise_proposals WHERE case_id = $1 AND state = 'pending'`,
      [caseId],
    );
    return row ?? null;
  }

  proposals(caseId: string): Promise<ProposalRow[]> {
    return this.sql<ProposalRow>(
      `SELECT ${PROPOSAL_COLUMNS} FROM promise_proposals WHERE case_id = $1 ORDER BY created_at DESC, id DESC`,
      [caseId],
    );
  }

  /** The proposal, locked for the rest of the transaction; null when it is not one of this case's. */
  async lockProposal(caseId: string, id: string): Promise<ProposalRow | null> {
    const [row] = await this.sql<ProposalRow>(
      `SELECT ${PROPOSAL_COLUMNS} FROM promise_proposals WHERE id = $1 AND case_id = $2 FOR UPDATE`,
      [id, caseId],
    );
    return row ?? null;
  }

  async answerProposal(id: string, state: 'accepted' | 'declined', at: Date, note: string | null): Promise<void> {
    await this.sql(`UPDATE promise_proposals SET state = $2, answered_at = $3, answer_note = $4 WHERE id = $1`, [id, state, at, note]);
  }

  async withdrawPending(caseId: string, at: Date): Promise<void> {
    await this.sql(
      `UPDATE promise_proposals SET state = 'withdrawn', answered_at = $2 WHERE case_id = $1 AND state = 'pending'`,
      [caseId, at],
    );
  }

  async insertProposal(p: { caseId: string; promisedAt: Date; breakdown: object | null; reason: string; createdBy: string | null; at: Date }): Promise<ProposalRow> {
    const [row] = await this.sql<ProposalRow>(
      `INSERT INTO promise_proposals (tenant_id, case_id, promised_at, breakdown, reason, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${PROPOSAL_COLUMNS}`,
      [this.tenant.tenantId, p.caseId, p.promisedAt, p.breakdown ? JSON.stringify(p.breakdown) : null, p.reason, p.createdBy, p.at],
    );
    return row;
  }

  async survey(caseId: string, lock = false): Promise<SurveyRow | null> {
    const [row] = await this.sql<SurveyRow>(
      `SELECT csat, stress, comment, answered_at, updated_at FROM case_surveys WHERE case_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [caseId],
    );
    return row ?? null;
  }

  async saveSurvey(caseId: string, s: { csat: number; stress: number; comment: string | null }, at: Date): Promise<SurveyRow> {
    const [row] = await this.sql<SurveyRow>(
      `INSERT INTO case_surveys (case_id, tenant_id, csat, stress, comment, answered_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (case_id) DO UPDATE SET csat = $3, stress = $4, comment = $5, updated_at = $6
       RETURNING csat, stress, comment, answered_at, updated_at`,
      [caseId, this.tenant.tenantId, s.csat, s.stress, s.comment, at],
    );
    return row;
  }

  async caseState(caseId: string): Promise<{ status: string; version: number; promised_at: Date | null } | null> {
    const [row] = await this.sql<{ status: string; version: number; promised_at: Date | null }>(
      `SELECT status, version, promised_at FROM cases WHERE id = $1`,
      [caseId],
    );
    return row ?? null;
  }

  async addCustomerMilestone(caseId: string, linkId: string, at: Date): Promise<void> {
    await this.sql(
      `INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind, actor_id, actor_name)
       VALUES ($1, $2, 'customer_confirmed', $3, 'customer', $4, 'Customer')`,
      [this.tenant.tenantId, caseId, at, linkId],
    );
  }
}
