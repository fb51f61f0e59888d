import { Injectable } from '@nestjs/common';
import type {
  AlertResponse,
  ListAlertsQuery,
  NotificationPreferences,
  Page,
  SnoozeAlertRequest,
} from '@kept/contracts';
import type { Principal } from '../../common/auth/principal';
import { isValidTimeZone } from '@kept/domain';
import { Clock } from '../../common/clock';
import { TenantContext } from '../../common/database/tenant-context';
import { decodeKeysetCursor, encodeKeysetCursor, KeysetPosition } from '../../common/http/keyset-cursor';
import { CommonException, CommonExceptionCode, notFound } from '../../common/problem/app.exception';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow, toAlert } from './alert.mapper';
import { replanCase } from './alert-planner';
import { publishAlert } from './events/publish';
import { Sql, sqlOfManager } from './sql';

const DEFAULT_PREFERENCES: NotificationPreferences = { emailEnabled: true, quietHours: null, digestLowSeverity: false };

/** The inbox: list, acknowledge and snooze alerts, plus each user's notification preferences. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly tenant: TenantContext,
    private readonly clock: Clock,
  ) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  async list(query: ListAlertsQuery): Promise<Page<AlertResponse>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    switch (query.state) {
      case 'open':
        where.push(`a.state = 'fired' AND (a.snoozed_until IS NULL OR a.snoozed_until <= ${p(this.clock.now())})`);
        break;
      case 'all':
        break;
      default:
        where.push(`a.state = ${p(query.state)}`);
    }
    if (query.caseId) where.push(`a.case_id = ${p(query.caseId)}`);
    const sortKey = `coalesce(a.fired_at, a.due_at, a.created_at)`;
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      where.push(`(${sortKey}, a.id) < (${p(cursor.at)}, ${p(cursor.id)})`);
    }
    const rows = await this.sql<AlertRow & { sort_at: Date }>(
      `SELECT ${ALERT_COLUMNS}, ${sortKey} AS sort_at FROM ${ALERT_FROM}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${sortKey} DESC, a.id DESC LIMIT ${p(query.limit + 1)}`,
      params,
    );
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
      throw new CommonException(CommonExceptionCode.CONFLICT, `Alert ${id} is ${alert.state}: only fired alerts can be acknowledged`);
    }
    await this.sql(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, updated_at = now() WHERE id = $1`,
      [id, principal.kind === 'user' ? principal.id : null, this.clock.now()],
    );
    await replanCase(this.sql, alert.case_id, this.clock.now());
    const updated = toAlert(await this.require(id));
    await publishAlert(this.sql, this.tenant.tenantId, updated);
    return updated;
  }

  async snooze(id: string, input: SnoozeAlertRequest): Promise<AlertResponse> {
    const alert = await this.require(id, true);
    if (alert.state !== 'fired') {
      throw new CommonException(CommonExceptionCode.CONFLICT, `Alert ${id} is ${alert.state}: only fired alerts can be snoozed`);
    }
    const now = this.clock.now();
    const until = input.until ? new Date(input.until) : new Date(now.getTime() + (input.minutes ?? 0) * 60_000);
    if (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + 7 * 86_400_000) {
      throw new CommonException(CommonExceptionCode.UNPROCESSABLE, 'Snooze until a time within the next 7 days', [
        { path: 'until', message: 'must lie in the next 7 days' },
      ]);
    }
    await this.sql(`UPDATE alerts SET snoozed_until = $2, updated_at = now() WHERE id = $1`, [id, until]);
    const updated = toAlert(await this.require(id));
    await publishAlert(this.sql, this.tenant.tenantId, updated);
    return updated;
  }

  async preferences(userId: string): Promise<NotificationPreferences> {
    const [row] = await this.sql<{ email_enabled: boolean; quiet_hours: NotificationPreferences['quietHours']; digest_low_severity: boolean }>(
      `SELECT email_enabled, quiet_hours, digest_low_severity FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
    return row
      ? { emailEnabled: row.email_enabled, quietHours: row.quiet_hours, digestLowSeverity: row.digest_low_severity }
      : DEFAULT_PREFERENCES;
  }

  async setPreferences(userId: string, input: NotificationPreferences): Promise<NotificationPreferences> {
    if (input.quietHours && !isValidTimeZone(input.quietHours.timeZone)) {
      throw new CommonException(CommonExceptionCode.UNPROCESSABLE, `Unknown time zone ${input.quietHours.timeZone}`, [
        { path: 'quietHours.timeZone', message: 'must be an IANA time zone such as Europe/Berlin' },
      ]);
    }
    await this.sql(
      `INSERT INTO notification_preferences (user_id, tenant_id, email_enabled, quiet_hours, digest_low_severity)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET email_enabled = $3, quiet_hours = $4, digest_low_severity = $5,
         version = notification_preferences.version + 1, updated_at = now()`,
      [userId, this.tenant.tenantId, input.emailEnabled, input.quietHours ? JSON.stringify(input.quietHours) : null, input.digestLowSeverity],
    );
    return this.preferences(userId);
  }

  private async require(id: string, lock = false): Promise<AlertRow> {
    const [row] = await this.sql<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`,
      [id],
    );
    if (!row) throw notFound('Alert', id);
    return row;
  }
}

function decodeCursor(raw: string): KeysetPosition {
  const position = decodeKeysetCursor(raw);
  if (!position) {
    throw new CommonException(CommonExceptionCode.VALIDATION_FAILED, 'Use the nextCursor value of a previous page as it was returned', [
      { path: 'cursor', message: 'is not a cursor this API returned' },
    ]);
  }
  return position;
}
