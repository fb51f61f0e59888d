import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { etaOf, firstNameOf } from '@kept/domain';
import { Clock } from '../../common/clock';
import { TenantContext } from '../../common/database/tenant-context';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { ClaimedEmailRow, CustomerEmailRepository } from './customer-email.repository';
import { renderCustomerEmail } from './customer-email.template';
import { emailStatusToken, unsubscribeToken } from './customer-email.tokens';

export interface DeliverCustomerEmailPayload {
  emailId: string;
  tenantId: string;
}

/** The mail transport the worker provides (its SMTP `Mailer`), as this module needs it. */
export interface CustomerMailSender {
  readonly enabled: boolean;
  send(mail: { to: string; subject: string; text: string; messageId: string; headers?: Record<string, string> }): Promise<void>;
}
export const CUSTOMER_MAIL_SENDER = Symbol('CUSTOMER_MAIL_SENDER');

/** Status links store only the token's SHA-256 (as `status-links` does for every link). */
const statusTokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** A status link sent by e-mail lives this long (her later e-mails carry newer ones). */
const EMAIL_LINK_DAYS = 30;

/**
 * The `deliver_customer_email` job: claims the row (one sender only), makes the e-mail's status link,
 * sends outside any transaction, then records the outcome — delivered; skipped when the tenant switched
 * the e-mails off, she unsubscribed or there is no SMTP server; retried on the alerts' schedule; abandoned
 * after the last try. A retry sends the same Message-ID and the same links.
 */
@Injectable()
export class CustomerEmailDeliveryService {
  private readonly secret: string;
  private readonly publicUrl: string;
  private readonly retryScheduleSeconds: number[];

  constructor(
    private readonly tenant: TenantContext,
    private readonly emails: CustomerEmailRepository,
    private readonly clock: Clock,
    @Inject(CUSTOMER_MAIL_SENDER) private readonly mailer: CustomerMailSender,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secret = config.jwtSecret;
    this.publicUrl = config.worker.publicUrl;
    this.retryScheduleSeconds = config.worker.retryScheduleSeconds;
  }

  async deliver(payload: DeliverCustomerEmailPayload): Promise<'delivered' | 'skipped' | 'retry scheduled' | 'gave up' | 'nothing to do'> {
    const row = await this.tenant.run(payload.tenantId, async () => {
      const claimed = await this.emails.claim(payload.emailId);
      if (claimed && claimed.enabled && !claimed.unsubscribed) {
        await this.emails.ensureStatusLink(claimed, statusTokenHash(emailStatusToken(this.secret, claimed.id)), EMAIL_LINK_DAYS);
      }
      return claimed;
    });
    if (!row) return 'nothing to do';

    const attempts = row.attempts + 1;
    const skip = !row.enabled ? 'the tenant switched customer e-mails off' : row.unsubscribed ? 'unsubscribed' : !this.mailer.enabled ? 'no SMTP server configured (SMTP_URL)' : null;
    if (skip) {
      await this.tenant.run(payload.tenantId, () => this.emails.markNotSent(row.id, { state: 'skipped', attempts: row.attempts, error: skip, next: null }));
      return 'skipped';
    }

    let error: string | null = null;
    try {
      await this.mailer.send(this.compose(row));
    } catch (err) {
      error = `SMTP: ${(err as Error).message}`;
    }

    return this.tenant.run(payload.tenantId, async () => {
      if (error === null) {
        await this.emails.markDelivered(row.id, attempts);
        return 'delivered';
      }
      const delay = this.retryScheduleSeconds[attempts - 1];
      const next = delay === undefined ? null : new Date(this.clock.now().getTime() + delay * 1000 * (0.8 + Math.random() * 0.4));
      await this.emails.markNotSent(row.id, { state: next ? 'pending' : 'abandoned', attempts, error, next });
      return next ? 'retry scheduled' : 'gave up';
    });
  }

  private compose(row: ClaimedEmailRow) {
    const unsubscribe = unsubscribeToken(this.secret, row.customer_id);
    const unsubscribeUrl = `${this.publicUrl}/s/unsubscribe/${unsubscribe}`;
    const promisedAt = row.event === 'promise_changed' && row.new_value ? new Date(row.new_value) : null;
    const eta = row.event === 'engineer_on_way' ? etaOf(row.note) : null;
    const { subject, text } = renderCustomerEmail({
      event: row.event,
      language: row.language,
      organization: row.organization,
      reference: row.reference,
      summary: row.summary,
      timeZone: row.time_zone ?? 'UTC',
      promisedAt,
      reason: row.reason,
      engineerFirstName: firstNameOf(row.engineer_name),
      eta: eta ? new Date(eta) : null,
      statusUrl: `${this.publicUrl}/s/${emailStatusToken(this.secret, row.id)}`,
      unsubscribeUrl,
    });
    return {
      to: row.recipient,
      subject,
      text,
      messageId: `<customer-email-${row.id}@kept>`,
      // RFC 8058 one-click unsubscribe: the mail client POSTs to the API itself.
      headers: {
        'List-Unsubscribe': `<${this.publicUrl}/api/v1/public/unsubscribe/${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  }
}
