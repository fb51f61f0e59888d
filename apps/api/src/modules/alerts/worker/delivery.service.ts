import { Inject, Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { Clock } from '../../../common/clock';
import { TenantContext } from '../../../common/database/tenant-context';
import { APP_CONFIG, AppConfig } from '../../../config/config';
import { Metrics } from '../../metrics';
import { AlertRow, toAlert } from '../alert.mapper';
import { WebhookEgress, WebhookRefused } from '../webhook-egress';
import { JobsRepository, PendingDeliveryRow } from './jobs.repository';
import { Mailer } from './mailer';

export interface DeliverPayload {
  deliveryId: string;
  tenantId: string;
}

interface DeliveryDeps {
  mailer: Mailer;
  egress: WebhookEgress;
  webhookTimeoutMs: number;
  publicUrl: string;
}

/** `busy`: every slot of the delivery's endpoint is taken; the caller puts the job back for a moment. */
export type DeliveryOutcome = 'nothing to do' | 'busy' | 'delivered' | 'gave up' | 'retry scheduled';

type Attempt =
  | { ok: true; status: number | null }
  /** `refused`: the SSRF guard stopped it before any connection; final, logged as failed. */
  | { ok: false; status: number | null; error: string; gone?: boolean; refused?: boolean };

/** Sends queued e-mails and webhooks (the `deliver` job). */
@Injectable()
export class DeliveryService {
  private readonly deps: DeliveryDeps;
  /** Seconds to wait before each retry (Standard Webhooks: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  private readonly retryScheduleSeconds: number[];
  private readonly slotsPerEndpoint: number;

  constructor(
    private readonly tenant: TenantContext,
    private readonly jobs: JobsRepository,
    private readonly clock: Clock,
    mailer: Mailer,
    egress: WebhookEgress,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.deps = { mailer, egress, webhookTimeoutMs: config.worker.webhookTimeoutMs, publicUrl: config.worker.publicUrl };
    this.retryScheduleSeconds = config.worker.retryScheduleSeconds;
    this.slotsPerEndpoint = config.worker.deliveryConcurrencyPerEndpoint;
  }

  /**
   * One delivery attempt. The row is read, the message sent outside any transaction (no transaction
   * waits on a slow receiver), then the outcome recorded: delivered; or failed with the next attempt
   * on the retry schedule (with ±20 % jitter); or abandoned after the last; a webhook answered 410 Gone
   * disables its endpoint. Retries reuse the message id, so receivers can drop a duplicate. At most
   * `DELIVERY_CONCURRENCY_PER_ENDPOINT` send at once per endpoint (webhook) or tenant (e-mail), across
   * workers: a sender leases a slot of its lane first; with none free the delivery is `busy`.
   */
  async deliver(payload: DeliverPayload): Promise<DeliveryOutcome> {
    const result = await this.attempt(payload);
    // A busy lane is no attempt: nothing to count.
    if (result.channel && result.outcome !== 'busy') {
      this.metrics.delivery(result.channel, result.outcome === 'delivered' ? 'delivered' : result.outcome === 'gave up' ? 'gave_up' : 'retry');
    }
    return result.outcome;
  }

  private async attempt(payload: DeliverPayload): Promise<{ outcome: DeliveryOutcome; channel?: string }> {
    const loaded = await this.tenant.run(payload.tenantId, () => this.jobs.pendingDelivery(payload.deliveryId));
    if (!loaded) return { outcome: 'nothing to do' };
    const { d, alerts } = loaded;

    let attempt: Attempt;
    if (d.channel === 'webhook' && !d.endpoint_active) {
      attempt = { ok: false, status: null, error: 'endpoint disabled', gone: true };
    } else if (d.channel === 'email' && !this.deps.mailer.enabled) {
      attempt = { ok: false, status: null, error: 'no SMTP server configured (SMTP_URL)', gone: true };
    } else {
      const lane = d.channel === 'webhook' ? `webhook:${d.endpoint_id}` : 'email';
      // Leased a little longer than a send may take; a killed sender's slot frees itself then.
      const leaseMs = this.deps.webhookTimeoutMs + 5000;
      const slot = await this.tenant.run(payload.tenantId, () => this.jobs.takeSlot(lane, this.slotsPerEndpoint, d.id, leaseMs));
      if (slot === null) return { outcome: 'busy', channel: d.channel };
      try {
        attempt = d.channel === 'email' ? await sendEmail(this.deps, d, alerts) : await sendWebhook(this.deps, d, alerts[0], this.clock.now());
      } finally {
        await this.tenant.run(payload.tenantId, () => this.jobs.releaseSlot(lane, slot, d.id));
      }
    }

    const outcome = await this.tenant.run(payload.tenantId, async () => {
      const attempts = d.attempts + 1;
      if (attempt.ok) {
        await this.jobs.markDelivered(d.id, attempts, attempt.status);
        return 'delivered';
      }
      if (attempt.status === 410 && d.endpoint_id) await this.jobs.disableEndpointGone(d.endpoint_id);
      const delay = this.retryScheduleSeconds[attempts - 1];
      const final = attempt.gone || attempt.status === 410 || delay === undefined;
      const next = final ? null : new Date(this.clock.now().getTime() + delay * 1000 * (0.8 + Math.random() * 0.4));
      await this.jobs.markAttemptFailed(d.id, {
        state: final ? (attempt.status === 410 || attempt.refused ? 'failed' : 'abandoned') : 'pending',
        attempts,
        status: attempt.status,
        error: attempt.error,
        next,
      });
      return final ? 'gave up' : 'retry scheduled';
    });
    return { outcome, channel: d.channel };
  }
}

async function sendEmail(deps: DeliveryDeps, d: PendingDeliveryRow, alerts: AlertRow[]): Promise<Attempt> {
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

async function sendWebhook(deps: DeliveryDeps, d: PendingDeliveryRow, alert: AlertRow | undefined, timestamp: Date): Promise<Attempt> {
  if (!d.url || !d.secret || !alert) return { ok: false, status: null, error: 'nothing to send', gone: true };
  const body = JSON.stringify({ type: 'alert.fired', timestamp: timestamp.toISOString(), data: toAlert(alert) });
  const signature = new Webhook(d.secret).sign(d.message_id, timestamp, body);
  try {
    // Checked again now (the host may resolve elsewhere than at registration) and pinned to the checked address.
    const res = await deps.egress.post(
      d.url,
      {
        'content-type': 'application/json',
        'user-agent': 'Kept-Webhooks/1.0',
        'webhook-id': d.message_id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      deps.webhookTimeoutMs,
    );
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    if (err instanceof WebhookRefused) return { ok: false, status: null, error: err.message, gone: true, refused: true };
    const e = err as Error;
    return { ok: false, status: null, error: e.name === 'TimeoutError' ? `timed out after ${deps.webhookTimeoutMs} ms` : e.message };
  }
}
