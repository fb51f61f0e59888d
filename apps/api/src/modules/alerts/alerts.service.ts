import { Injectable } from '@nestjs/common';
import type {
  AcknowledgeCaseAlertsRequest,
  AcknowledgeCaseAlertsResponse,
  AlertResponse,
  ListAlertsQuery,
  NotificationPreferences,
  Page,
  SnoozeAlertRequest,
} from '@kept/contracts';
import { isValidTimeZone } from '@kept/domain';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/http/keyset-cursor';
import { EventPublisher } from '../events';
import { AlertException, AlertExceptionCode } from './alert.exception';
import { AlertRow, toAlert } from './alert.mapper';
import { AlertPlanner } from './alert-planner.service';
import { AlertsRepository } from './alerts.repository';

const DEFAULT_PREFERENCES: NotificationPreferences = { emailEnabled: true, quietHours: null, digestLowSeverity: false };
const MAX_SNOOZE_MS = 7 * 86_400_000;

/** The inbox: list, acknowledge and snooze alerts, plus each user's notification preferences. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly planner: AlertPlanner,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async list(query: ListAlertsQuery, principal: Principal): Promise<Page<AlertResponse>> {
    const after = query.cursor ? decodeKeysetCursor(query.cursor) : null;
    if (query.cursor && !after) {
      throw new AlertException(AlertExceptionCode.INVALID_CURSOR, 'Use the nextCursor value of a previous page as it was returned', [
        { path: 'cursor', message: 'is not a cursor this API returned' },
      ]);
    }
    // An API key has no alerts of its own: `for=me` means every alert of the tenant to it.
    const me = query.for === 'me' && principal.kind === 'user' ? { userId: principal.id, role: principal.role } : null;
    const rows = await this.alerts.page(query, after, this.clock.now(), me);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAlert),
      nextCursor: rows.length > query.limit && last ? encodeKeysetCursor({ at: last.sort_at, id: last.id }) : null,
    };
  }

  async get(id: string): Promise<AlertResponse> {
    return toAlert(await this.require(id));
  }

  /** Someone has seen it: stops the repeats and the escalation of that deadline. Acknowledging twice is fine. */
  async acknowledge(id: string, principal: Principal): Promise<AlertResponse> {
    const alert = await this.require(id, true);
    if (alert.state === 'acknowledged') return toAlert(alert);
    if (alert.state !== 'fired') {
      throw new AlertException(AlertExceptionCode.ALERT_NOT_FIRED, `Alert ${id} is ${alert.state}: only fired alerts can be acknowledged`);
    }
    await this.alerts.acknowledge(id, userIdOf(principal), this.clock.now());
    await this.planner.replanCase(alert.case_id);
    const updated = toAlert(await this.require(id));
    await this.events.publishAlert(updated);
    return updated;
  }

  /**
   * Acknowledges the named open alerts of one case together. All or nothing: an id that is not an alert
   * of this case, or an alert that has not fired, refuses the whole request and changes nothing; alerts
   * already acknowledged are skipped, so a retry answers the same items with `acknowledged: 0`.
   */
  async acknowledgeCase(input: AcknowledgeCaseAlertsRequest, principal: Principal): Promise<AcknowledgeCaseAlertsResponse> {
    if (!(await this.alerts.lockCase(input.caseId))) {
      throw new AlertException(AlertExceptionCode.CASE_NOT_FOUND, `Case ${input.caseId} does not exist`, [
        { path: 'caseId', message: 'is not a case of this organization' },
      ]);
    }
    const ids = [...new Set(input.alertIds)];
    const rows = await this.alerts.alertsByIds(ids);
    const foreign = ids.filter((id) => !rows.some((r) => r.id === id && r.case_id === input.caseId));
    if (foreign.length) {
      throw new AlertException(
        AlertExceptionCode.ALERTS_NOT_OF_CASE,
        `${foreign.length} of the ${ids.length} alerts are not alerts of case ${input.caseId}; nothing was acknowledged`,
        foreign.map((id) => ({ path: `alertIds[${input.alertIds.indexOf(id)}]`, message: `${id} is not an alert of this case` })),
      );
    }
    const unfired = rows.filter((r) => r.state !== 'fired' && r.state !== 'acknowledged');
    if (unfired.length) {
      throw new AlertException(
        AlertExceptionCode.ALERT_NOT_FIRED,
        `${unfired.length} of the alerts are ${unfired[0].state}: only fired alerts can be acknowledged; nothing was acknowledged`,
        unfired.map((r) => ({ path: `alertIds[${input.alertIds.indexOf(r.id)}]`, message: `is ${r.state}` })),
      );
    }
    const acknowledged = await this.alerts.acknowledgeMany(ids, userIdOf(principal), this.clock.now());
    if (acknowledged) await this.planner.replanCase(input.caseId);
    const items = (await this.alerts.alertsByIds(ids)).map(toAlert);
    if (acknowledged) for (const a of items) await this.events.publishAlert(a);
    return { caseId: input.caseId, acknowledged, items };
  }

  /** Hides a fired alert until a time within the next 7 days (given as a time or as minutes from now). */
  async snooze(id: string, input: SnoozeAlertRequest): Promise<AlertResponse> {
    const alert = await this.require(id, true);
    if (alert.state !== 'fired') {
      throw new AlertException(AlertExceptionCode.ALERT_NOT_FIRED, `Alert ${id} is ${alert.state}: only fired alerts can be snoozed`);
    }
    const now = this.clock.now();
    const until = input.until ? new Date(input.until) : new Date(now.getTime() + (input.minutes ?? 0) * 60_000);
    if (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + MAX_SNOOZE_MS) {
      throw new AlertException(AlertExceptionCode.SNOOZE_OUT_OF_RANGE, 'Snooze until a time within the next 7 days', [
        { path: 'until', message: 'must lie in the next 7 days' },
      ]);
    }
    await this.alerts.snooze(id, until);
    const updated = toAlert(await this.require(id));
    await this.events.publishAlert(updated);
    return updated;
  }

  async preferences(userId: string): Promise<NotificationPreferences> {
    const row = await this.alerts.preferences(userId);
    return row
      ? { emailEnabled: row.email_enabled, quietHours: row.quiet_hours, digestLowSeverity: row.digest_low_severity }
      : DEFAULT_PREFERENCES;
  }

  async setPreferences(userId: string, input: NotificationPreferences): Promise<NotificationPreferences> {
    if (input.quietHours && !isValidTimeZone(input.quietHours.timeZone)) {
      throw new AlertException(AlertExceptionCode.INVALID_TIME_ZONE, `Unknown time zone ${input.quietHours.timeZone}`, [
        { path: 'quietHours.timeZone', message: 'must be an IANA time zone such as Europe/Berlin' },
      ]);
    }
    await this.alerts.savePreferences(userId, input);
    return this.preferences(userId);
  }

  private async require(id: string, lock = false): Promise<AlertRow> {
    const row = await this.alerts.findAlert(id, lock);
    if (!row) throw new AlertException(AlertExceptionCode.ALERT_NOT_FOUND, `Alert ${id} does not exist`);
    return row;
  }
}
