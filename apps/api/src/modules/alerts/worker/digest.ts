import { QuietHours, sendAfterQuietHours } from '@kept/domain';
import type { Pool } from 'pg';
import { withTenant } from './tenant-tx';

/**
 * The hourly digest: for every user who chose it, one e-mail with all low-severity alerts of the
 * previous full hour. `email_digests` is unique per user and hour, so a second worker (or a re-run)
 * adds nothing. `now` picks the hour (the previous full one); the e-mails go out at once (after quiet hours).
 */
export async function sendDigests(owner: Pool, pool: Pool, now = new Date()): Promise<number> {
  const periodStart = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 3_600_000);
  const { rows: tenants } = await owner.query<{ tenant_id: string }>(
    `SELECT DISTINCT tenant_id FROM notification_preferences WHERE digest_low_severity AND email_enabled`,
  );
  let queued = 0;
  for (const { tenant_id: tenantId } of tenants) {
    queued += await withTenant(pool, tenantId, async (sql) => {
      const users = await sql<{ id: string; email: string; role: string; quiet_hours: QuietHours | null }>(
        `SELECT u.id, u.email, u.role, np.quiet_hours FROM users u JOIN notification_preferences np ON np.user_id = u.id
          WHERE u.tenant_id = $1 AND u.active AND np.digest_low_severity AND np.email_enabled`,
        [tenantId],
      );
      let n = 0;
      for (const u of users) {
        const alerts = await sql<{ id: string }>(
          `SELECT id FROM alerts WHERE tenant_id = $1 AND severity = 'low' AND NOT muted AND $2 = ANY(recipient_roles)
              AND fired_at >= $3 AND fired_at < $3::timestamptz + interval '1 hour' ORDER BY fired_at`,
          [tenantId, u.role, periodStart],
        );
        if (!alerts.length) continue;
        const [digest] = await sql<{ id: string }>(
          `INSERT INTO email_digests (tenant_id, user_id, period_start, alert_ids) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, period_start) DO NOTHING RETURNING id`,
          [tenantId, u.id, periodStart, alerts.map((a) => a.id)],
        );
        if (!digest) continue;
        await sql(
          `INSERT INTO deliveries (tenant_id, digest_id, channel, user_id, recipient, message_id, next_attempt_at)
           VALUES ($1, $2::uuid, 'email', $3, $4, '<digest-' || $2::text || '@kept>', $5)`,
          [tenantId, digest.id, u.id, u.email, sendAfterQuietHours(new Date(), u.quiet_hours)],
        );
        n += 1;
      }
      return n;
    });
  }
  return queued;
}
