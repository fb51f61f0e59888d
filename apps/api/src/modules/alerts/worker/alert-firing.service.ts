import { Injectable } from '@nestjs/common';
import { sendAfterQuietHours } from '@kept/domain';
import { Clock } from '../../../common/clock';
import { TenantContext } from '../../../common/database/tenant-context';
import { EventPublisher } from '../../events';
import { Metrics } from '../../metrics';
import { AlertRow, toAlert } from '../alert.mapper';
import { AlertPlanner } from '../alert-planner.service';
import { JobsRepository } from './jobs.repository';

export interface FirePayload {
  alertId: string;
  tenantId: string;
}

export type FireOutcome =
  | { outcome: 'fired' | 'muted'; kind: string; dueAt: Date | null }
  | { outcome: 'skipped' }
  | { outcome: 'early'; dueAt: Date };

/** Fires alerts (the `fire_alert` job). */
@Injectable()
export class AlertFiringService {
  constructor(
    private readonly tenant: TenantContext,
    private readonly jobs: JobsRepository,
    private readonly planner: AlertPlanner,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Fires one alert, exactly once: the UPDATE only succeeds while the alert is still pending, due, its
   * policy active and its case open — a second worker (or a re-run after a crash) finds it fired and
   * does nothing. In the same tenant transaction it queues the e-mails and webhooks (one row per
   * recipient, unique), tells the live streams, and plans the next repeat after a breach. `early`
   * means the job ran before a later due time was written: the caller re-queues it for `dueAt`.
   */
  async fire(payload: FirePayload): Promise<FireOutcome> {
    const result = await this.fireInTransaction(payload);
    // Counted once committed: a rolled-back firing (e.g. the database went away) is retried, not counted twice.
    if (result.outcome === 'fired' || result.outcome === 'muted') this.metrics.alertFired(result.kind, result.outcome, result.dueAt, this.clock.now());
    return result;
  }

  private fireInTransaction(payload: FirePayload): Promise<FireOutcome> {
    return this.tenant.run(payload.tenantId, async () => {
      const row = await this.jobs.fire(payload.alertId);
      if (!row) {
        const still = await this.jobs.alertState(payload.alertId);
        return still?.waiting && still.due_at && still.due_at.getTime() > this.clock.now().getTime()
          ? { outcome: 'early', dueAt: still.due_at }
          : { outcome: 'skipped' };
      }
      if (row.channels.includes('in_app')) await this.events.publishAlert(toAlert(row));
      if (!row.muted) {
        if (row.channels.includes('email')) await this.queueEmails(row);
        if (row.channels.includes('webhook')) await this.jobs.queueWebhooks(row);
      }
      // After a breach (or a repeat) comes the next repeat, if the policy has them.
      if ((row.kind === 'breach' || row.kind === 'repeat') && row.repeats) await this.planner.replanCase(row.case_id);
      return { outcome: row.muted ? 'muted' : 'fired', kind: row.kind, dueAt: row.due_at };
    });
  }

  /** One e-mail per recipient who wants them, held back until the end of her quiet hours. */
  private async queueEmails(alert: AlertRow): Promise<void> {
    const users = await this.jobs.emailRecipients(alert);
    const now = this.clock.now();
    const rows = users
      .filter((u) => u.email_enabled !== false)
      // Low-severity alerts of users who chose the digest go out once an hour, all together.
      .filter((u) => !(alert.severity === 'low' && u.digest))
      .map((u) => ({ user: u.id, email: u.email, at: sendAfterQuietHours(now, u.quiet_hours) }));
    if (rows.length) await this.jobs.queueEmails(alert, rows);
  }
}
