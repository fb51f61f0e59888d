import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { sendAfterQuietHours } from '@kept/domain';
import { Clock } from '../../../common/clock';
import { TenantContext } from '../../../common/database/tenant-context';
import { EventPublisher } from '../../events';
import { Metrics } from '../../metrics';
import { AlertRow, toAlert } from '../alert.mapper';
import { AlertPlanner } from '../alert-planner.service';
import { EmailToQueue, FiringRepository, repeatNumberOf } from './firing.repository';
import { FiredAlertRow, JobsRepository } from './jobs.repository';

export interface FirePayload {
  alertId: string;
  tenantId: string;
}

/** The `fire_due_alerts` job of a tenant's due second (`second`: Unix seconds); `helper`: a fan-out helper an earlier version queued. */
export interface FireDuePayload {
  tenantId: string;
  second: number;
  helper?: number;
}

export type FireOutcome = { outcome: 'fired' | 'muted'; kind: string; dueAt: Date | null } | { outcome: 'skipped' } | { outcome: 'early'; dueAt: Date };

/** `requeueAt`: the job's second still has alerts waiting, due later than the job should wait: run it again then. */
export interface FireDueOutcome {
  fired: number;
  requeueAt: Date | null;
}

/** Due alerts one firing statement takes (a full batch is followed at once by the next). */
export const FIRE_BATCH = 500;
/** The job waits in place for an alert of its second due within this; a later one re-queues the job. */
const WAIT_IN_PLACE_MS = 300;
/** A re-queued job runs this much before the alert it waits for (the poll interval's worth). */
const REQUEUE_LEAD_MS = 200;
/** Due alerts that could not be taken (their case locked by a request): look again after. */
const RETRY_LOCKED_MS = 10;
const MAX_LOCKED_RETRIES = 100;

/** Fires alerts: set-based per tenant and due second (`fire_due_alerts`), or one alert (`fire_alert`, jobs queued before). */
@Injectable()
export class AlertFiringService {
  constructor(
    private readonly tenant: TenantContext,
    private readonly jobs: JobsRepository,
    private readonly firing: FiringRepository,
    private readonly planner: AlertPlanner,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Fires every alert of the tenant that falls due up to the end of the payload's second, in batches:
   * each batch is one transaction that fires up to {@link FIRE_BATCH} due alerts with one statement,
   * tells the live streams, queues their e-mails and webhooks (the deliveries drain in their own jobs)
   * and plans the next repeats. One firing transaction of a tenant runs at a time (the others wait for
   * it: see `FiringRepository.fireDue`), so a backlog is fired batch after batch without firers getting
   * in each other's way. Between batches the job waits for the next alert of its second to fall due, so
   * alerts fire on the database clock's time, not on the next poll. Any due alert of the tenant is
   * taken, so a batch rolled back by a crash is fired by the next job running for the tenant (or by this
   * one, when the heartbeat sweep releases it). A `helper` job (queued by an earlier version) only fires
   * what is due now.
   */
  async fireDue(payload: FireDuePayload): Promise<FireDueOutcome> {
    const until = new Date((payload.second + 1) * 1000);
    let fired = 0;
    let lockedRetries = 0;
    for (;;) {
      const pass = await this.tenant.run(payload.tenantId, async () => {
        const { rows, next } = await this.firing.fireDue(FIRE_BATCH, until);
        await this.afterFiring(rows);
        return { rows, count: rows.length, next };
      });
      // Counted once committed: a rolled-back batch (a crash, the database gone) is fired again, not counted twice.
      const committedAt = this.clock.now();
      for (const r of pass.rows) this.metrics.alertFired(r.kind, r.muted ? 'muted' : 'fired', r.due_at, committedAt);
      fired += pass.count;
      if (pass.count >= FIRE_BATCH) continue;
      if (!pass.next || payload.helper) return { fired, requeueAt: null };
      if (pass.next.inMs > WAIT_IN_PLACE_MS) return { fired, requeueAt: new Date(pass.next.at.getTime() - REQUEUE_LEAD_MS) };
      if (pass.next.inMs <= 0 && pass.count === 0) {
        // Due but not taken: its case held by a request, for a moment.
        if (++lockedRetries > MAX_LOCKED_RETRIES) return { fired, requeueAt: new Date(this.clock.now().getTime() + 1000) };
        await sleep(RETRY_LOCKED_MS);
      } else {
        lockedRetries = 0;
        if (pass.next.inMs > 0) await sleep(Math.ceil(pass.next.inMs));
      }
    }
  }

  /** What a firing batch does besides the UPDATE, in its transaction: live streams, deliveries, next repeats. */
  private async afterFiring(rows: FiredAlertRow[]): Promise<void> {
    if (!rows.length) return;
    await this.events.publishAlerts(rows.filter((r) => r.channels.includes('in_app')).map(toAlert));
    const loud = rows.filter((r) => !r.muted);
    await this.queueBatchEmails(loud.filter((r) => r.channels.includes('email')));
    await this.firing.queueWebhooks(loud.filter((r) => r.channels.includes('webhook')));
    // After a breach (or a repeat) comes the next repeat, if the policy has them: planned in this transaction.
    const repeating = new Set(rows.filter((r) => (r.kind === 'breach' || r.kind === 'repeat') && r.repeats).map((r) => r.case_id));
    for (const caseId of repeating) await this.planner.replanCase(caseId);
  }

  /** The e-mails of a batch: recipients read once for all its alerts, the same filters as {@link queueEmails}. */
  private async queueBatchEmails(alerts: FiredAlertRow[]): Promise<void> {
    if (!alerts.length) return;
    const users = await this.firing.emailRecipients([...new Set(alerts.flatMap((a) => a.recipient_roles))]);
    const now = this.clock.now();
    const rows: EmailToQueue[] = [];
    for (const alert of alerts) {
      for (const u of users) {
        if (!alert.recipient_roles.includes(u.role) || u.email_enabled === false) continue;
        // Low-severity alerts of users who chose the digest go out once an hour, all together.
        if (alert.severity === 'low' && u.digest) continue;
        rows.push({
          alertId: alert.id,
          repeatNumber: repeatNumberOf(alert),
          userId: u.id,
          email: u.email,
          at: sendAfterQuietHours(now, u.quiet_hours),
        });
      }
    }
    await this.firing.queueEmails(rows);
  }

  /**
   * Fires one alert, exactly once (a `fire_alert` job queued before set-based firing): the UPDATE only
   * succeeds while the alert is still pending, due, its policy active and its case open — a second
   * worker (or a re-run after a crash) finds it fired and does nothing. In the same tenant transaction
   * it queues the e-mails and webhooks (one row per recipient, unique), tells the live streams, and
   * plans the next repeat after a breach. `early` means the job ran before a later due time was
   * written: the caller re-queues it for `dueAt`.
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
      .map((u) => ({
        user: u.id,
        email: u.email,
        at: sendAfterQuietHours(now, u.quiet_hours),
      }));
    if (rows.length) await this.jobs.queueEmails(alert, rows);
  }
}
