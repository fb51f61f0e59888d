import { Injectable } from '@nestjs/common';
import type { QuietHours } from '@kept/domain';
import { Sql, sqlOfManager } from '../../../common/database/sql';
import { TenantContext } from '../../../common/database/tenant-context';
import type { FiredAlertRow } from './jobs.repository';

const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** An e-mail to queue: the alert, its firing (repeat number), the recipient and when to send it. */
export interface EmailToQueue {
  alertId: string;
  repeatNumber: number;
  userId: string;
  email: string;
  at: Date;
}

export interface EmailRecipientRow {
  id: string;
  email: string;
  role: string;
  email_enabled: boolean | null;
  quiet_hours: QuietHours | null;
  digest: boolean | null;
}

/**
 * Which firing of the alert a delivery carries: a repeat alert's firing number (each firing is one
 * message per recipient), 0 for every other alert. The same rule as the single-alert path.
 */
export const repeatNumberOf = (alert: Pick<FiredAlertRow, 'kind' | 'repeat_count'>) => (alert.kind === 'repeat' ? alert.repeat_count : 0);

/** When the next waiting alert falls due, and in how many ms on the database clock. */
export interface NextDue {
  at: Date;
  inMs: number;
}

/** Waits for, then holds until its transaction ends, the current tenant's firing lock (one firing transaction per tenant). */
export const TENANT_FIRING_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('kept:fire:' || kept_current_tenant()::text, 0))`;

/** Whether an alert waits to fire: pending, or an open repeat with a next time not yet fired. */
const WAITING = `(a.state = 'pending' OR (a.kind = 'repeat' AND a.state = 'fired' AND a.due_at > a.last_fired_at))`;

/**
 * Set-based firing (issue 18), in the job's tenant transaction: one statement fires a batch of the
 * tenant's due alerts, one inserts their e-mails, one their webhooks. The exactly-once guards are the
 * single-alert path's (`JobsRepository.fire`), applied to a set.
 */
@Injectable()
export class FiringRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  /**
   * Fires the `limit` earliest due alerts of the tenant: pending (or an open repeat whose next time came),
   * due on the database clock (`statement_timestamp()`, which the index can use), policy active, case
   * open. Their cases are locked first, with SKIP LOCKED, then the alerts are updated — the order every writer of a case's
   * alerts keeps (case, then alerts), so the UPDATE never waits on an alert and no lock cycle forms; what
   * a second firer (or a request) holds, this one skips and takes the next cases instead, and the state
   * guard in the UPDATE makes a re-run fire nothing twice. In the same statement: the earliest due
   * time before `until` of the alerts still waiting that would fire (policy active, case open), and how
   * long until then on the database clock: when to look again (null: nothing before `until` waits).
   */
  async fireDue(limit: number, until: Date): Promise<{ rows: FiredAlertRow[]; next: NextDue | null }> {
    // The UPDATE reads the taken alerts by id: `= ANY (ARRAY(…))` (the array built once, a primary-key look-up),
    // and its due check in a form the waiting-alerts index cannot serve (`coalesce`). With `IN (SELECT id FROM
    // taken)` and a plain `due_at <=`, the planner (row-level security on, the index's estimate stale: one row)
    // drove the UPDATE from every due alert of the tenant, each joined to the 500 taken: 50,000 due at one
    // instant cost 45 million comparisons, ~9 s, per batch (issue 18, `--window 0`); now ~20 ms.
    // One firing transaction per tenant at a time (issue 18, `--window 0`): concurrent firers of one tenant each
    // scanned past the hundreds of cases the others held (SKIP LOCKED) and re-took what they had just fired;
    // the work grew with the square of the firers, and a 50,000-alert instant fired a few thousand in 30 s.
    // A statement of its own, so the firing statement's snapshot (READ COMMITTED) sees what the previous
    // holder committed. Released at commit or rollback, or when a killed worker's connection ends.
    await this.sql(TENANT_FIRING_LOCK);
    const rows = await this.sql<FiredAlertRow & { next_at: Date | null; next_in_ms: number | null }>(
      `WITH taken AS (
         SELECT a.id FROM alerts a
           JOIN alert_policies p ON p.id = a.policy_id AND p.active
           JOIN cases c ON c.id = a.case_id AND c.status NOT IN ('satisfied', 'cancelled')
          WHERE a.tenant_id = kept_current_tenant() AND a.due_at IS NOT NULL AND a.due_at <= statement_timestamp()
            AND (a.state = 'pending' OR (a.kind = 'repeat' AND a.state = 'fired'))
            AND ${WAITING}
          ORDER BY a.due_at
          LIMIT $1
          FOR NO KEY UPDATE OF c SKIP LOCKED
       ), fired AS (
         UPDATE alerts a
            SET state = 'fired', fired_at = coalesce(a.fired_at, clock_timestamp()), last_fired_at = clock_timestamp(),
                repeat_count = a.repeat_count + CASE WHEN a.kind = 'repeat' THEN 1 ELSE 0 END, updated_at = now(),
                muted = EXISTS (SELECT 1 FROM alerts s WHERE s.case_id = a.case_id AND s.target = a.target
                                AND s.target_version = a.target_version AND s.snoozed_until > now())
           FROM alert_policies p, cases c
          WHERE a.id = ANY (ARRAY(SELECT id FROM taken)) AND c.id = a.case_id
            AND coalesce(a.due_at <= statement_timestamp(), false) AND ${WAITING}
            AND p.id = a.policy_id AND p.active AND c.id = a.case_id AND c.status NOT IN ('satisfied', 'cancelled')
          RETURNING a.*, p.channels, p.repeat_every_minutes IS NOT NULL AS repeats,
                    c.number AS case_number, c.summary AS case_summary, c.assignee_id AS case_assignee_id, c.team AS case_team
       ), next AS (
         -- The statement's snapshot still shows the alerts it fires as waiting: leave them out.
         SELECT a.due_at AS at FROM alerts a
           JOIN alert_policies p ON p.id = a.policy_id AND p.active
           JOIN cases c ON c.id = a.case_id AND c.status NOT IN ('satisfied', 'cancelled')
          WHERE a.tenant_id = kept_current_tenant() AND a.due_at IS NOT NULL AND a.due_at < $2
            AND (a.state = 'pending' OR (a.kind = 'repeat' AND a.state = 'fired')) AND ${WAITING}
            AND a.id NOT IN (SELECT id FROM fired)
          ORDER BY a.due_at LIMIT 1
       )
       SELECT fired.*, NULL AS acknowledged_by_name, NULL AS case_assignee_name,
              n.at AS next_at, extract(epoch FROM n.at - clock_timestamp()) * 1000 AS next_in_ms
         FROM (SELECT (SELECT at FROM next) AS at) n LEFT JOIN fired ON true ORDER BY fired.due_at, fired.id`,
      [limit, until],
    );
    const next = rows[0]?.next_at ? { at: rows[0].next_at, inMs: Number(rows[0].next_in_ms) } : null;
    return { rows: rows.filter((r) => r.id !== null), next };
  }

  /** The tenant's active users of any of these roles, with their e-mail preferences (one query per batch). */
  emailRecipients(roles: string[]): Promise<EmailRecipientRow[]> {
    return this.sql<EmailRecipientRow>(
      `SELECT u.id, u.email, u.role, np.email_enabled, np.quiet_hours, np.digest_low_severity AS digest
         FROM users u LEFT JOIN notification_preferences np ON np.user_id = u.id
        WHERE u.tenant_id = kept_current_tenant() AND u.active AND u.role = ANY($1::text[])`,
      [roles],
    );
  }

  /** The e-mails of a batch in one statement; the unique message id makes a re-run add nothing. */
  async queueEmails(rows: EmailToQueue[]): Promise<void> {
    if (!rows.length) return;
    await this.sql(
      `INSERT INTO deliveries (tenant_id, alert_id, channel, user_id, recipient, message_id, next_attempt_at, repeat_number)
       SELECT kept_current_tenant(), x.alert_id, 'email', x.user_id, x.recipient,
              '<alert-' || x.alert_id::text || '.' || x.user_id::text || CASE WHEN x.rn > 0 THEN '.r' || x.rn ELSE '' END || '@kept>', x.at, x.rn
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int[]) AS x(alert_id, user_id, recipient, at, rn)
       ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.alertId), rows.map((r) => r.userId), rows.map((r) => r.email), rows.map((r) => r.at), rows.map((r) => r.repeatNumber)],
    );
  }

  /** One webhook delivery per alert and active endpoint whose minimum severity the alert reaches, in one statement. */
  async queueWebhooks(alerts: FiredAlertRow[]): Promise<void> {
    if (!alerts.length) return;
    await this.sql(
      `INSERT INTO deliveries (tenant_id, alert_id, channel, endpoint_id, recipient, message_id, next_attempt_at, repeat_number)
       SELECT e.tenant_id, x.alert_id, 'webhook', e.id, e.url,
              'msg_' || replace(x.alert_id::text, '-', '') || CASE WHEN x.rn > 0 THEN '_r' || x.rn ELSE '' END, now(), x.rn
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS x(alert_id, rank, rn)
         JOIN webhook_endpoints e ON e.tenant_id = kept_current_tenant() AND e.active
          AND array_position(ARRAY['low','medium','high','critical'], e.min_severity) <= x.rank
       ON CONFLICT DO NOTHING`,
      [alerts.map((a) => a.id), alerts.map((a) => SEVERITY_RANK[a.severity] + 1), alerts.map(repeatNumberOf)],
    );
  }
}
