import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../common/database/tenant-context';
import { sqlOfManager } from '../../common/database/sql';
import type { StatusLinkRow } from './status-link.mapper';

const COLUMNS = 'id, created_at, expires_at, revoked_at, last_viewed_at, view_count';

/** Data access for status links: tenant-scoped through the request's transaction, except the public look-up. */
@Injectable()
export class StatusLinkRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql() {
    return sqlOfManager(this.tenant.manager);
  }

  async caseExists(caseId: string): Promise<boolean> {
    return (await this.sql(`SELECT 1 FROM cases WHERE id = $1`, [caseId])).length > 0;
  }

  async insert(link: {
    caseId: string;
    tokenHash: Buffer;
    createdBy: string | null;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<StatusLinkRow> {
    const [row] = await this.sql<StatusLinkRow>(
      `INSERT INTO status_links (tenant_id, case_id, token_hash, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [this.tenant.tenantId, link.caseId, link.tokenHash, link.createdBy, link.createdAt, link.expiresAt],
    );
    return row;
  }

  listOfCase(caseId: string): Promise<StatusLinkRow[]> {
    return this.sql<StatusLinkRow>(
      `SELECT ${COLUMNS} FROM status_links WHERE case_id = $1 ORDER BY created_at DESC, id DESC`,
      [caseId],
    );
  }

  /** Sets revoked_at once (a second revoke keeps the first instant); null when the link is not this tenant's. */
  async revoke(id: string, at: Date): Promise<StatusLinkRow | null> {
    const [row] = await this.sql<StatusLinkRow>(
      `UPDATE status_links SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, at],
    );
    return row ?? null;
  }
}
