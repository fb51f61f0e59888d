import { sendAfterQuietHours, QuietHours } from '@kept/domain';
import type { Pool } from 'pg';
import { AlertRow, toAlert } from '../alert.mapper';
import { replanCase } from '../alert-planner';
import { publishAlert } from '../events/publish';
import type { Sql } from '../sql';
import { withTenant } from './tenant-tx';

export interface FirePayload {
  alertId: string;
  tenantId: string;
}

export type FireOutcome = { outcome: 'fired' | 'muted' | 'skipped' } | { outcome: 'early'; dueAt: Date };

const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/**
 * Fires one alert, exactly once: the UPDATE only succeeds while the alert is still pending, due, its
 * policy active and its case open — a second worker (or a re-run after a crash) finds it fired and
 * does nothing. In the same transaction it queues the e-mails and webhooks (one row per recipient,
 * unique), tells the live streams, and plans the next repeat after a breach.
 */
export async function fireAlert(pool: Pool, payload: FirePayload): Promise<FireOutcome> {
  return withTenant(pool, payload.tenantId, async (sql) => {
    const [row] = await sql<AlertRow & { channels: string[]; repeats: boolean }>(
      `WITH fired AS (
         UPDATE alerts a
            SET state = 'fired', fired_at = clock_timestamp(), updated_at = now(),
                muted = EXISTS (SELECT 1 FROM alerts s WHERE s.case_id = a.case_id AND s.target = a.target
                                AND s.target_version = a.target_version AND s.snoozed_until > now())
           FROM alert_policies p, cases c
          WHERE a.id = $1 AND a.state = 'pending' AND a.due_at <= clock_timestamp()
            AND p.id = a.policy_id AND p.active AND c.id = a.case_id AND c.status NOT IN ('satisfied', 'cancelled')
          RETURNING a.*, p.channels, p.repeat_every_minutes IS NOT NULL AS repeats,
                    c.number AS case_number, c.summary AS case_summary)
       SELECT fired.*, NULL AS acknowledged_by_name FROM fired`,
      [payload.alertId],
    );
    if (!row) {
      const [still] = await sql<{ state: string; due_at: Date | null }>(`SELECT state, due_at FROM alerts WHERE id = $1`, [payload.alertId]);
      // Pending but not yet due: the job ran before a later due time was written; the caller re-queues it.
      return still?.state === 'pending' && still.due_at && still.due_at.getTime() > Date.now()
        ? { outcome: 'early', dueAt: still.due_at }
        : { outcome: 'skipped' };
    }
    if (row.channels.includes('in_app')) await publishAlert(sql, payload.tenantId, toAlert(row));
    if (!row.muted) {
      if (row.channels.includes('email')) await queueEmails(sql, row);
      if (row.channels.includes('webhook')) await queueWebhooks(sql, row);
    }
    // After a breach (or a repeat) comes the next repeat, if the policy has them.
    if ((row.kind === 'breach' || row.kind === 'repeat') && row.repeats) await replanCase(sql, row.case_id, new Date());
    return { outcome: row.muted ? 'muted' : 'fired' };
  });
}

async function queueEmails(sql: Sql, alert: AlertRow): Promise<void> {
  const users = await sql<{ id: string; email: string; email_enabled: boolean | null; quiet_hours: QuietHours | null; digest: boolean | null }>(
    `SELECT u.id, u.email, np.email_enabled, np.quiet_hours, np.digest_low_severity AS digest
       FROM users u LEFT JOIN notification_preferences np ON np.user_id = u.id
      WHERE u.tenant_id = $1 AND u.active AND u.role = ANY($2::text[])`,
    [alert.tenant_id, alert.recipient_roles],
  );
  const now = new Date();
  const rows = users
    .filter((u) => u.email_enabled !== false)
    // Low-severity alerts of users who chose the digest go out once an hour, all together.
    .filter((u) => !(alert.severity === 'low' && u.digest))
    .map((u) => ({ user: u.id, email: u.email, at: sendAfterQuietHours(now, u.quiet_hours) }));
  if (!rows.length) return;
  await sql(
    `INSERT INTO deliveries (tenant_id, alert_id, channel, user_id, recipient, message_id, next_attempt_at)
     SELECT $1, $2::uuid, 'email', x.user_id, x.recipient, '<alert-' || $2::text || '.' || x.user_id::text || '@kept>', x.at
       FROM unnest($3::uuid[], $4::text[], $5::timestamptz[]) AS x(user_id, recipient, at)
     ON CONFLICT DO NOTHING`,
    [alert.tenant_id, alert.id, rows.map((r) => r.user), rows.map((r) => r.email), rows.map((r) => r.at)],
  );
}

async function queueWebhooks(sql: Sql, alert: AlertRow): Promise<void> {
  await sql(
    `INSERT INTO deliveries (tenant_id, alert_id, channel, endpoint_id, recipient, message_id, next_attempt_at)
     SELECT $1, $2::uuid, 'webhook', e.id, e.url, 'msg_' || replace($2::text, '-', ''), now()
       FROM webhook_endpoints e
      WHERE e.tenant_id = $1 AND e.active
        AND array_position(ARRAY['low','medium','high','critical'], e.min_severity) <= $3
     ON CONFLICT DO NOTHING`,
    [alert.tenant_id, alert.id, SEVERITY_RANK[alert.severity] + 1],
  );
}
