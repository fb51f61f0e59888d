import type { Pool } from 'pg';
import { Webhook } from 'standardwebhooks';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow, toAlert } from '../alert.mapper';
import type { Mailer } from './mailer';
import { withTenant } from './tenant-tx';

export interface DeliverPayload {
  deliveryId: string;
  tenantId: string;
}

export interface DeliveryDeps {
  mailer: Mailer;
  webhookTimeoutMs: number;
  /** Seconds to wait before each retry (Standard Webhooks: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  retryScheduleSeconds: number[];
  publicUrl: string;
}

interface DeliveryRow {
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

type Attempt = { ok: true; status: number | null } | { ok: false; status: number | null; error: string; gone?: boolean };

/**
 * One delivery attempt. The row is read, the message sent outside any transaction (no transaction
 * waits on a slow receiver), then the outcome recorded: delivered; or failed with the next attempt
 * on the retry schedule (with ±20 % jitter); or abandoned after the last; a webhook answered 410 Gone
 * disables its endpoint. Retries reuse the message id, so receivers can drop a duplicate.
 */
export async function deliver(pool: Pool, deps: DeliveryDeps, payload: DeliverPayload): Promise<string> {
  const loaded = await withTenant(pool, payload.tenantId, async (sql) => {
    const [d] = await sql<DeliveryRow>(
      `SELECT d.*, e.url, e.secret, e.active AS endpoint_active
         FROM deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.state = 'pending'`,
      [payload.deliveryId],
    );
    if (!d) return null;
    const alerts = d.digest_id
      ? await sql<AlertRow>(
          `SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = ANY((SELECT alert_ids FROM email_digests WHERE id = $1)::uuid[]) ORDER BY a.fired_at`,
          [d.digest_id],
        )
      : await sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1`, [d.alert_id]);
    return { d, alerts };
  });
  if (!loaded) return 'nothing to do';
  const { d, alerts } = loaded;

  let attempt: Attempt;
  if (d.channel === 'webhook' && !d.endpoint_active) {
    attempt = { ok: false, status: null, error: 'endpoint disabled', gone: true };
  } else if (d.channel === 'email' && !deps.mailer.enabled) {
    attempt = { ok: false, status: null, error: 'no SMTP server configured (SMTP_URL)', gone: true };
  } else {
    attempt = d.channel === 'email' ? await sendEmail(deps, d, alerts) : await sendWebhook(deps, d, alerts[0]);
  }

  return withTenant(pool, payload.tenantId, async (sql) => {
    const attempts = d.attempts + 1;
    if (attempt.ok) {
      await sql(
        `UPDATE deliveries SET state = 'delivered', attempts = $2, last_status = $3, last_error = NULL,
                next_attempt_at = NULL, delivered_at = now() WHERE id = $1 AND state = 'pending'`,
        [d.id, attempts, attempt.status],
      );
      return 'delivered';
    }
    if (attempt.status === 410 && d.endpoint_id) {
      await sql(
        `UPDATE webhook_endpoints SET active = false, disabled_reason = 'The receiver answered 410 Gone', version = version + 1, updated_at = now()
          WHERE id = $1`,
        [d.endpoint_id],
      );
    }
    const delay = deps.retryScheduleSeconds[attempts - 1];
    const final = attempt.gone || attempt.status === 410 || delay === undefined;
    const next = final ? null : new Date(Date.now() + delay * 1000 * (0.8 + Math.random() * 0.4));
    await sql(
      `UPDATE deliveries SET state = $2, attempts = $3, last_status = $4, last_error = $5, next_attempt_at = $6
        WHERE id = $1 AND state = 'pending'`,
      [d.id, final ? (attempt.status === 410 ? 'failed' : 'abandoned') : 'pending', attempts, attempt.status, attempt.error.slice(0, 500), next],
    );
    return final ? 'gave up' : 'retry scheduled';
  });
}

async function sendEmail(deps: DeliveryDeps, d: DeliveryRow, alerts: AlertRow[]): Promise<Attempt> {
  if (!d.recipient || alerts.length === 0) return { ok: false, status: null, error: 'nothing to send', gone: true };
  const digest = d.digest_id !== null;
  const subject = digest
    ? `Kept digest: ${alerts.length} low-severity alert${alerts.length === 1 ? '' : 's'} in the last hour`
    : `[${alerts[0].severity}] ${alerts[0].message}`;
  const lines = alerts.map((a) => `• ${a.message}\n  ${deps.publicUrl}/cases/${a.case_id}`);
  const text = `${digest ? 'Alerts of the last hour:' : 'Kept alert:'}\n\n${lines.join('\n\n')}\n\n— Kept. Change your notification settings in the app.`;
  try {
    await deps.mailer.send({ to: d.recipient, subject, text, messageId: d.message_id });
    return { ok: true, status: null };
  } catch (err) {
    return { ok: false, status: null, error: `SMTP: ${(err as Error).message}` };
  }
}

async function sendWebhook(deps: DeliveryDeps, d: DeliveryRow, alert: AlertRow | undefined): Promise<Attempt> {
  if (!d.url || !d.secret || !alert) return { ok: false, status: null, error: 'nothing to send', gone: true };
  const timestamp = new Date();
  const body = JSON.stringify({ type: 'alert.fired', timestamp: timestamp.toISOString(), data: toAlert(alert) });
  const signature = new Webhook(d.secret).sign(d.message_id, timestamp, body);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Kept-Webhooks/1.0',
        'webhook-id': d.message_id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.webhookTimeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error;
    return { ok: false, status: null, error: e.name === 'TimeoutError' ? `timed out after ${deps.webhookTimeoutMs} ms` : e.message };
  }
}
