import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AttachmentContentType, MilestoneKind } from '@kept/contracts';
import { sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import type { AttachmentRow, RepromiseRequestRow } from './field.mapper';

const ATTACHMENT_COLUMNS = 'id, case_id, milestone, note, file_name, content_type, size_bytes, uploaded_by, uploaded_by_name, created_at';

/** Data access of re-promise requests and attachments, in the request's tenant transaction (RLS). No rules. */
@Injectable()
export class FieldRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql() {
    return sqlOfManager(this.tenant.manager);
  }

  async insertRequest(r: {
    caseId: string;
    requestedBy: string | null;
    requestedByName: string | null;
    requestedAt: Date;
    proposedAt: Date;
    reason: string;
    promisedAtRequest: Date | null;
  }): Promise<RepromiseRequestRow | null> {
    const [row] = await this.sql<RepromiseRequestRow>(
      `INSERT INTO repromise_requests (tenant_id, case_id, requested_by, requested_by_name, requested_at, proposed_at, reason, promised_at_request)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id) WHERE state = 'open' DO NOTHING
       RETURNING *`,
      [this.tenant.tenantId, r.caseId, r.requestedBy, r.requestedByName, r.requestedAt, r.proposedAt, r.reason, r.promisedAtRequest],
    );
    return row ?? null;
  }

  async setAlert(id: string, alertId: string): Promise<RepromiseRequestRow> {
    const [row] = await this.sql<RepromiseRequestRow>(`UPDATE repromise_requests SET alert_id = $2 WHERE id = $1 RETURNING *`, [id, alertId]);
    return row;
  }

  async findRequest(id: string, lock = false): Promise<RepromiseRequestRow | null> {
    const [row] = await this.sql<RepromiseRequestRow>(`SELECT * FROM repromise_requests WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async requestsOfCase(caseId: string): Promise<RepromiseRequestRow[]> {
    return this.sql<RepromiseRequestRow>(`SELECT * FROM repromise_requests WHERE case_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 100`, [caseId]);
  }

  async decide(
    id: string,
    d: { state: 'accepted' | 'declined'; by: string | null; byName: string | null; at: Date; acceptedPromisedAt: Date | null; note: string | null },
  ): Promise<RepromiseRequestRow> {
    const [row] = await this.sql<RepromiseRequestRow>(
      `UPDATE repromise_requests SET state = $2, decided_by = $3, decided_by_name = $4, decided_at = $5, accepted_promised_at = $6, decision_note = $7
        WHERE id = $1 RETURNING *`,
      [id, d.state, d.by, d.byName, d.at, d.acceptedPromisedAt, d.note],
    );
    return row;
  }

  async insertAttachment(a: {
    caseId: string;
    milestone: MilestoneKind | null;
    note: string | null;
    fileName: string;
    contentType: AttachmentContentType;
    data: Buffer;
    uploadedBy: string | null;
    uploadedByName: string | null;
  }): Promise<AttachmentRow> {
    const [row] = await this.sql<AttachmentRow>(
      `INSERT INTO case_attachments (tenant_id, case_id, milestone, note, file_name, content_type, size_bytes, sha256, data, uploaded_by, uploaded_by_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${ATTACHMENT_COLUMNS}`,
      [
        this.tenant.tenantId,
        a.caseId,
        a.milestone,
        a.note,
        a.fileName,
        a.contentType,
        a.data.length,
        createHash('sha256').update(a.data).digest(),
        a.data,
        a.uploadedBy,
        a.uploadedByName,
      ],
    );
    return row;
  }

  async attachmentsOfCase(caseId: string): Promise<AttachmentRow[]> {
    return this.sql<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM case_attachments WHERE case_id = $1 ORDER BY created_at, id LIMIT 200`, [caseId]);
  }

  async attachmentContent(id: string): Promise<(AttachmentRow & { data: Buffer }) | null> {
    const [row] = await this.sql<AttachmentRow & { data: Buffer }>(`SELECT ${ATTACHMENT_COLUMNS}, data FROM case_attachments WHERE id = $1`, [id]);
    return row ?? null;
  }
}
