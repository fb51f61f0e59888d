import { Injectable } from '@nestjs/common';
import type { QuietHours } from '@kept/domain';
import { Sql, sqlOfManager } from '../../../common/database/sql';
import { TenantContext } from '../../../common/database/tenant-context';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow } from '../alert.mapper';

const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** A delivery with its endpoint (for webhooks), as the delivery job reads it. */
export interface PendingDeliveryRow {
  id: string;
  tenant_id: string;
  alert_id: string | null;
  digest_id: string | null;
  channel: 'email' | 'webhook';
  endpoint_id: string | null;
  recipient: string | null;
  message_id: string;
  attempts: number;
  url: string | null;
  secret: string | null;
  endpoint_active: boolean | null;
}

export type FiredAlertRow = AlertRow & { channels: string[]; repeats: boolean };

export interface Recipient {
  user: string;
  email: string;
  at: Date;
}

/**
 * Which firing of the alert a delivery carries: a repeat alert's firing number (each firing is one
 * message per recipient, as often as the policy repeats — never more), 0 for every other alert.
 */
const repeatNumber = (alert: AlertRow) => (alert.kind === 'repeat' ? alert.repeat_count : 0);

/**
 * Data access of the worker's jobs (firing, delivery, digests), in the job's tenant transaction
 * (`TenantContext.run`). The exactly-once guards live in these statements: see {@link fire}.
 */
@Injectable()
export class JobsRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  /**
   * Marks the alert fired, only while it is still pending, due (database clock), its policy active and
   * its case open: a second worker, or a re-run after a crash, gets null. An open repeat alert fires
   * again in place (count + 1, last fired now) when its next time has come — once per next time, as
   * `due_at > last_fired_at` holds only until this UPDATE. Muted when the same deadline is snoozed.
   */
  async fire(alertId: string): Promise<FiredAlertRow | null> {
    // The case's row lock first, as a request changing the case takes it: two alerts of one case falling due
    // together then fire and re-plan one after the other, instead of deadlocking on the alerts they both
    // upsert (each holding the alert it fired while waiting for the other's).
    await this.sql(`SELECT 1 FROM cases WHERE id = (SELECT case_id FROM alerts WHERE id = $1) FOR NO KEY UPDATE`, [alertId]);
    const [row] = await this.sql<FiredAlertRow>(
      `WITH fired AS (
         UPDATE alerts a
            SET state = 'fired', fired_at = coalesce(a.fired_at, clock_timestamp()), last_fired_at = clock_timestamp(),
                repeat_count = a.repeat_count + CASE WHEN a.kind = 'repeat' THEN 1 ELSE 0 END, updated_at = now(),
                muted = EXISTS (SELECT 1 FROM alerts s WHERE s.case_id = a.case_id AND s.target = a.target
                                AND s.target_version = a.target_version AND s.snoozed_until > now())
           FROM alert_policies p, cases c
          WHERE a.id = $1 AND a.due_at <= clock_timestamp()
            AND (a.state = 'pending' OR (a.kind = 'repeat' AND a.state = 'fired' AND a.due_at > a.last_fired_at))
            AND p.id = a.policy_id AND p.active AND c.id = a.case_id AND c.status NOT IN ('satisfied', 'cancelled')
          RETURNING a.*, p.channels, p.repeat_every_minutes IS NOT NULL AS repeats,
                    c.number AS case_number, c.summary AS case_summary)
       SELECT fired.*, NULL AS acknowledged_by_name FROM fired`,
      [alertId],
    );
    return row ?? null;
  }

  /** Whether the alert still waits to fire (pending, or an open repeat with a next time), and when. */
  async alertState(alertId: string): Promise<{ waiting: boolean; due_at: Date | null } | null> {
    const [row] = await this.sql<{ waiting: boolean; due_at: Date | null }>(
      `SELECT (state = 'pending' OR (kind = 'repeat' AND state = 'fired' AND due_at > coalesce(last_fired_at, '-infinity'))) AS waiting, due_at
         FROM alerts WHERE id = $1`,
      [alertId],
    );
    return row ?? null;
  }

  /** The active users of the alert's recipient roles, with their e-mail preferences. */
  emailRecipients(alert: AlertRow) {
    return this.sql<{ id: string; email: string; email_enabled: boolean | null; quiet_hours: QuietHours | null; digest: boolean | null }>(
      `SELECT u.id, u.email, np.email_enabled, np.quiet_hours, np.digest_low_severity AS digest
         FROM users u LEFT JOIN notification_preferences np ON np.user_id = u.id
        WHERE u.tenant_id = $1 AND u.active AND u.role = ANY($2::text[])`,
      [alert.tenant_id, alert.recipient_roles],
    );
  }

  /** One e-mail delivery per recipient; the unique message id makes a re-run add nothing. */
  async queueEmails(alert: AlertRow, rows: Recipient[]): Promise<void> {
    await this.sql(
      `INSERT INTO deliveries (tenant_id, alert_id, channel, user_id, recipient, message_id, next_attempt_at, repeat_number)
       SELECT $1, $2::uuid, 'email', x.user_id, x.recipient,
              '<alert-' || $2::text || '.' || x.user_id::text || CASE WHEN $6::int > 0 THEN '.r' || $6::int ELSE '' END || '@kept>', x.at, $6::int
         FROM unnest($3::uuid[], $4::text[], $5::timestamptz[]) AS x(user_id, recipient, at)
       ON CONFLICT DO NOTHING`,
      [alert.tenant_id, alert.id, rows.map((r) => r.user), rows.map((r) => r.email), rows.map((r) => r.at), repeatNumber(alert)],
    );
  }

  /** One webhook delivery per active endpoint whose minimum severity the alert reaches. */
  async queueWebhooks(alert: AlertRow): Promise<void> {
    await this.sql(
      `INSERT INTO deliveries (tenant_id, alert_id, channel, endpoint_id, recipient, message_id, next_attempt_at, repeat_number)
       SELECT $1, $2::uuid, 'webhook', e.id, e.url,
              'msg_' || replace($2::text, '-', '') || CASE WHEN $4::int > 0 THEN '_r' || $4::int ELSE '' END, now(), $4::int
         FROM webhook_endpoints e
        WHERE e.tenant_id = $1 AND e.active
          AND array_position(ARRAY['low','medium','high','critical'], e.min_severity) <= $3
       ON CONFLICT DO NOTHING`,
      [alert.tenant_id, alert.id, SEVERITY_RANK[alert.severity] + 1, repeatNumber(alert)],
    );
  }

  /** A still-pending delivery with the alert(s) it carries (a digest carries several), or null. */
  async pendingDelivery(deliveryId: string): Promise<{ d: PendingDeliveryRow; alerts: AlertRow[] } | null> {
    const [d] = await this.sql<PendingDeliveryRow>(
      `SELECT d.*, e.url, e.secret, e.active AS endpoint_active
         FROM deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.state = 'pending'`,
      [deliveryId],
    );
    if (!d) return null;
    const alerts = d.digest_id
      ? await this.sql<AlertRow>(
          `SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = ANY((SELECT alert_ids FROM email_digests WHERE id = $1)::uuid[]) ORDER BY a.fired_at`,
          [d.digest_id],
        )
      : await this.sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1`, [d.alert_id]);
    return { d, alerts };
  }

  /**
   * Leases one of the lane's `slots` to the delivery for `leaseMs` (then it frees itself, should the sender
   * die): the slot's number, or null when all are taken. Its own short transaction, before the sending.
   */
  async takeSlot(lane: string, slots: number, deliveryId: string, leaseMs: number): Promise<number | null> {
    const [row] = await this.sql<{ slot: number | null }>(`SELECT kept_take_delivery_slot($1, $2, $3, $4) AS slot`, [lane, slots, deliveryId, leaseMs]);
    return row?.slot ?? null;
  }

  async releaseSlot(lane: string, slot: number, deliveryId: string): Promise<void> {
    await this.sql(`DELETE FROM delivery_slots WHERE tenant_id = kept_current_tenant() AND lane = $1 AND slot = $2 AND delivery_id = $3`, [lane, slot, deliveryId]);
  }

  async markDelivered(id: string, attempts: number, status: number | null): Promise<void> {
    await this.sql(
      `UPDATE deliveries SET state = 'delivered', attempts = $2, last_status = $3, last_error = NULL,
              next_attempt_at = NULL, delivered_at = now() WHERE id = $1 AND state = 'pending'`,
      [id, attempts, status],
    );
  }

  async markAttemptFailed(
    id: string,
    o: { state: 'pending' | 'failed' | 'abandoned'; attempts: number; status: number | null; error: string; next: Date | null },
  ): Promise<void> {
    await this.sql(
      `UPDATE deliveries SET state = $2, attempts = $3, last_status = $4, last_error = $5, next_attempt_at = $6
        WHERE id = $1 AND state = 'pending'`,
      [id, o.state, o.attempts, o.status, o.error.slice(0, 500), o.next],
    );
  }

  async disableEndpointGone(endpointId: string): Promise<void> {
    await this.sql(
      `UPDATE webhook_endpoints SET active = false, disabled_reason = 'The receiver answered 410 Gone', version = version + 1, updated_at = now()
        WHERE id = $1`,
      [endpointId],
    );
  }

  /** The tenant's active users who chose the low-severity digest by e-mail. */
  digestUsers(tenantId: string) {
    return this.sql<{ id: string; email: string; role: string; quiet_hours: QuietHours | null }>(
      `SELECT u.id, u.email, u.role, np.quiet_hours FROM users u JOIN notification_preferences np ON np.user_id = u.id
        WHERE u.tenant_id = $1 AND u.active AND np.digest_low_severity AND np.email_enabled`,
      [tenantId],
    );
  }

  /** Low-severity, unmuted alerts for a role fired in the hour from `periodStart`. */
  lowAlertsOfHour(tenantId: string, role: string, periodStart: Date) {
    return this.sql<{ id: string }>(
      `SELECT id FROM alerts WHERE tenant_id = $1 AND severity = 'low' AND NOT muted AND $2 = ANY(recipient_roles)
          AND fired_at >= $3 AND fired_at < $3::timestamptz + interval '1 hour' ORDER BY fired_at`,
      [tenantId, role, periodStart],
    );
  }

  /** The digest of a user and hour, unless it already exists (then null: nothing more to send). */
  async insertDigest(tenantId: string, userId: string, periodStart: Date, alertIds: string[]): Promise<string | null> {
    const [digest] = await this.sql<{ id: string }>(
      `INSERT INTO email_digests (tenant_id, user_id, period_start, alert_ids) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, period_start) DO NOTHING RETURNING id`,
      [tenantId, userId, periodStart, alertIds],
    );
    return digest?.id ?? null;
  }

  async queueDigestEmail(tenantId: string, digestId: string, user: { id: string; email: string }, at: Date): Promise<void> {
    await this.sql(
      `INSERT INTO deliveries (tenant_id, digest_id, channel, user_id, recipient, message_id, next_attempt_at)
       VALUES ($1, $2::uuid, 'email', $3, $4, '<digest-' || $2::text || '@kept>', $5)`,
      [tenantId, digestId, user.id, user.email, at],
    );
  }
}
