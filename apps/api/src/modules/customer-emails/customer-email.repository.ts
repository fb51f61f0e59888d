import { Injectable } from '@nestjs/common';
import { Sql, sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import type { CustomerEmailEvent, CustomerLanguage } from './customer-email.template';

/** A claimed customer e-mail with everything its text needs. */
export interface ClaimedEmailRow {
  id: string;
  tenant_id: string;
  case_id: string;
  customer_id: string;
  event: CustomerEmailEvent;
  recipient: string;
  attempts: number;
  reference: string;
  summary: string;
  time_zone: string | null;
  organization: string;
  enabled: boolean;
  unsubscribed: boolean;
  language: CustomerLanguage;
  engineer_name: string | null;
  /** The ledger entry's new value (the promise) and reason, or the milestone's note (the ETA). */
  new_value: string | null;
  reason: string | null;
  note: string | null;
}

/** How long a claimed row stays taken before another run may send it (a sender that died mid-way). */
const CLAIM_SECONDS = 300;

/** Data access of the customer e-mail outbox, in the job's tenant transaction. */
@Injectable()
export class CustomerEmailRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  /**
   * Takes a pending row for sending: only one runner gets it (the UPDATE's row lock and the state test),
   * a re-run after delivery gets null. The claim commits before the message is sent.
   */
  async claim(id: string): Promise<ClaimedEmailRow | null> {
    const [row] = await this.sql<ClaimedEmailRow>(
      `WITH claimed AS (
         UPDATE customer_emails SET claimed_at = now()
          WHERE id = $1 AND state = 'pending'
            AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2))
          RETURNING *)
       SELECT e.id, e.tenant_id, e.case_id, e.customer_id, e.event, e.recipient, e.attempts,
              'K-' || c.number::text AS reference, c.summary, s.time_zone, o.name AS organization,
              o.customer_emails AS enabled, cu.emails_unsubscribed_at IS NOT NULL AS unsubscribed, cu.language,
              u.name AS engineer_name, l.new_value, l.reason, m.note
         FROM claimed e
         JOIN cases c ON c.id = e.case_id
         JOIN organizations o ON o.id = e.tenant_id
         JOIN customers cu ON cu.id = e.customer_id
         LEFT JOIN sites s ON s.id = c.site_id
         LEFT JOIN users u ON u.id = c.assignee_id
         LEFT JOIN case_ledger l ON e.source_key LIKE 'ledger:%' AND l.id = substr(e.source_key, 8)::bigint
         LEFT JOIN case_milestones m ON e.source_key LIKE 'milestone:%' AND m.id = substr(e.source_key, 11)::uuid`,
      [id, CLAIM_SECONDS],
    );
    return row ?? null;
  }

  /** The e-mail's own status link (its token derived, see `emailStatusToken`); a re-run adds nothing. */
  async ensureStatusLink(row: ClaimedEmailRow, tokenHash: Buffer, days: number): Promise<void> {
    await this.sql(
      `INSERT INTO status_links (tenant_id, case_id, token_hash, created_by, expires_at)
       VALUES ($1, $2, $3, NULL, now() + make_interval(days => $4))
       ON CONFLICT (token_hash) DO NOTHING`,
      [row.tenant_id, row.case_id, tokenHash, days],
    );
  }

  async markDelivered(id: string, attempts: number): Promise<void> {
    await this.sql(
      `UPDATE customer_emails SET state = 'delivered', attempts = $2, delivered_at = now(), next_attempt_at = NULL,
              claimed_at = NULL, last_error = NULL WHERE id = $1 AND state = 'pending'`,
      [id, attempts],
    );
  }

  async markNotSent(id: string, o: { state: 'pending' | 'abandoned' | 'skipped'; attempts: number; error: string; next: Date | null }) {
    await this.sql(
      `UPDATE customer_emails SET state = $2, attempts = $3, last_error = $4, next_attempt_at = $5, claimed_at = NULL
        WHERE id = $1 AND state = 'pending'`,
      [id, o.state, o.attempts, o.error.slice(0, 500), o.next],
    );
  }
}
