import { Injectable } from '@nestjs/common';
import type { CreateAlertPolicyRequest, ListAlertsQuery, NotificationPreferences, UpdateAlertPolicyRequest } from '@kept/contracts';
import { Sql, sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import type { KeysetPosition } from '../../common/http/keyset-cursor';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow, DeliveryRow, EndpointRow, PolicyRow } from './alert.mapper';

/** Policy fields and their columns (the order of the INSERT). */
const POLICY_COLUMNS: Record<keyof CreateAlertPolicyRequest, string> = {
  name: 'name',
  target: 'target',
  basis: 'basis',
  fractions: 'fractions',
  leadMinutes: 'lead_minutes',
  atBreach: 'at_breach',
  repeatEveryMinutes: 'repeat_every_minutes',
  escalateAfterMinutes: 'escalate_after_minutes',
  atRisk: 'at_risk',
  channels: 'channels',
  recipientRoles: 'recipient_roles',
  active: 'active',
};

/** "Mine": the calling user and her role (see `for=me` in ListAlertsQuery). */
export interface MeFilter {
  userId: string;
  role: string;
}

export interface PreferencesRow {
  email_enabled: boolean;
  quiet_hours: NotificationPreferences['quietHours'];
  digest_low_severity: boolean;
}

/**
 * Data access of the alerts HTTP side (inbox, notification preferences, policies, webhook endpoints
 * and their delivery log), in the request's tenant transaction. No rules: the services decide.
 */
@Injectable()
export class AlertsRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  // --- inbox -------------------------------------------------------------------------------------

  /**
   * One page of alerts, newest first by (fired, due or created time, id), one more row than `limit`
   * so the caller can tell whether there is a next page. `now` decides which snoozes have ended.
   */
  async page(query: ListAlertsQuery, after: KeysetPosition | null, now: Date, me: MeFilter | null): Promise<(AlertRow & { sort_at: Date })[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    switch (query.state) {
      case 'open':
        where.push(`a.state = 'fired' AND (a.snoozed_until IS NULL OR a.snoozed_until <= ${p(now)})`);
        break;
      case 'all':
        break;
      default:
        where.push(`a.state = ${p(query.state)}`);
    }
    if (query.caseId) where.push(`a.case_id = ${p(query.caseId)}`);
    if (me) {
      const user = p(me.userId);
      where.push(
        `(c.assignee_id = ${user} OR (${p(me.role)} = ANY(a.recipient_roles)
          AND (c.team IS NULL OR c.team IS NOT DISTINCT FROM (SELECT team FROM users WHERE id = ${user})
               OR (SELECT team FROM users WHERE id = ${user}) IS NULL)))`,
      );
    }
    const sortKey = `coalesce(a.last_fired_at, a.fired_at, a.due_at, a.created_at)`;
    if (after) where.push(`(${sortKey}, a.id) < (${p(after.at)}, ${p(after.id)})`);
    return this.sql<AlertRow & { sort_at: Date }>(
      `SELECT ${ALERT_COLUMNS}, ${sortKey} AS sort_at FROM ${ALERT_FROM}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${sortKey} DESC, a.id DESC LIMIT ${p(query.limit + 1)}`,
      params,
    );
  }

  /**
   * The alert with its case reference and acknowledger; `lock` holds it for the rest of the transaction —
   * after its case's row, the order every writer of a case's alerts follows (see `replanCase`).
   */
  async findAlert(id: string, lock = false): Promise<AlertRow | null> {
    if (lock) await this.sql(`SELECT 1 FROM cases WHERE id = (SELECT case_id FROM alerts WHERE id = $1) FOR NO KEY UPDATE`, [id]);
    const [row] = await this.sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`, [id]);
    return row ?? null;
  }

  /** Locks the case's row (first, like every writer of its alerts); false when there is no such case. */
  async lockCase(caseId: string): Promise<boolean> {
    const rows = await this.sql(`SELECT 1 FROM cases WHERE id = $1 FOR NO KEY UPDATE`, [caseId]);
    return rows.length > 0;
  }

  /** The named alerts, locked (call {@link lockCase} first), with their case reference. */
  alertsByIds(ids: string[]): Promise<AlertRow[]> {
    return this.sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = ANY($1::uuid[]) ORDER BY a.id FOR UPDATE OF a`, [ids]);
  }

  /** Acknowledges the fired ones among `ids`; returns how many. */
  async acknowledgeMany(ids: string[], by: string | null, at: Date): Promise<number> {
    const rows = await this.sql(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND state = 'fired' RETURNING id`,
      [ids, by, at],
    );
    return rows.length;
  }

  async acknowledge(id: string, by: string | null, at: Date): Promise<void> {
    await this.sql(`UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, updated_at = now() WHERE id = $1`, [id, by, at]);
  }

  async snooze(id: string, until: Date): Promise<void> {
    await this.sql(`UPDATE alerts SET snoozed_until = $2, updated_at = now() WHERE id = $1`, [id, until]);
  }

  // --- notification preferences -----------------------------------------------------------------

  async preferences(userId: string): Promise<PreferencesRow | null> {
    const [row] = await this.sql<PreferencesRow>(
      `SELECT email_enabled, quiet_hours, digest_low_severity FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
    return row ?? null;
  }

  async savePreferences(userId: string, input: NotificationPreferences): Promise<void> {
    await this.sql(
      `INSERT INTO notification_preferences (user_id, tenant_id, email_enabled, quiet_hours, digest_low_severity)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET email_enabled = $3, quiet_hours = $4, digest_low_severity = $5,
         version = notification_preferences.version + 1, updated_at = now()`,
      [userId, this.tenant.tenantId, input.emailEnabled, input.quietHours ? JSON.stringify(input.quietHours) : null, input.digestLowSeverity],
    );
  }

  // --- policies ----------------------------------------------------------------------------------

  listPolicies(): Promise<PolicyRow[]> {
    return this.sql<PolicyRow>(`SELECT * FROM alert_policies ORDER BY target DESC, name`);
  }

  async findPolicy(id: string, lock = false): Promise<PolicyRow | null> {
    const [row] = await this.sql<PolicyRow>(`SELECT * FROM alert_policies WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async insertPolicy(input: CreateAlertPolicyRequest): Promise<PolicyRow> {
    const keys = Object.keys(POLICY_COLUMNS) as (keyof CreateAlertPolicyRequest)[];
    const [row] = await this.sql<PolicyRow>(
      `INSERT INTO alert_policies (tenant_id, ${keys.map((k) => POLICY_COLUMNS[k]).join(', ')})
       VALUES ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING *`,
      [this.tenant.tenantId, ...keys.map((k) => input[k])],
    );
    return row;
  }

  /** Sets the given fields (undefined ones are left alone) and bumps the version. */
  async updatePolicy(id: string, changes: Omit<UpdateAlertPolicyRequest, 'version'>): Promise<PolicyRow> {
    const keys = (Object.keys(changes) as (keyof CreateAlertPolicyRequest)[]).filter((k) => changes[k] !== undefined);
    const [row] = await this.sql<PolicyRow>(
      `UPDATE alert_policies SET ${keys.map((k, i) => `${POLICY_COLUMNS[k]} = $${i + 2}`).join(', ')}${keys.length ? ',' : ''}
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, ...keys.map((k) => changes[k])],
    );
    return row;
  }

  /**
   * Cancels the policy's pending alerts (their jobs go with them, by trigger). Their cases' rows are locked
   * first, in id order — the order of every writer of a case's alerts (case, then its alerts) — so a fire
   * job re-planning one of those cases at the same moment waits instead of deadlocking.
   */
  async cancelPendingOfPolicy(policyId: string): Promise<void> {
    await this.sql(
      `SELECT 1 FROM cases WHERE id IN (SELECT case_id FROM alerts WHERE policy_id = $1 AND state = 'pending') ORDER BY id FOR NO KEY UPDATE`,
      [policyId],
    );
    await this.sql(`UPDATE alerts SET state = 'cancelled', updated_at = now() WHERE policy_id = $1 AND state = 'pending'`, [policyId]);
  }

  /** Queues a background re-plan of the tenant's open cases (one job per tenant at a time). */
  async enqueueTenantReplan(): Promise<void> {
    await this.sql(`SELECT kept_enqueue_replan($1)`, [this.tenant.tenantId]);
  }

  // --- webhook endpoints and their deliveries ----------------------------------------------------

  listEndpoints(): Promise<EndpointRow[]> {
    return this.sql<EndpointRow>(`SELECT * FROM webhook_endpoints ORDER BY created_at`);
  }

  async findEndpoint(id: string, lock = false): Promise<EndpointRow | null> {
    const [row] = await this.sql<EndpointRow>(`SELECT * FROM webhook_endpoints WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async insertEndpoint(e: { url: string; description: string | null; secret: string; minSeverity: string }): Promise<EndpointRow> {
    const [row] = await this.sql<EndpointRow>(
      `INSERT INTO webhook_endpoints (tenant_id, url, description, secret, min_severity) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [this.tenant.tenantId, e.url, e.description, e.secret, e.minSeverity],
    );
    return row;
  }

  /** Null fields are left alone; enabling clears the reason it was disabled. */
  async updateEndpoint(
    id: string,
    e: { url: string | null; description: string | null; minSeverity: string | null; active: boolean | null },
  ): Promise<EndpointRow> {
    const [row] = await this.sql<EndpointRow>(
      `UPDATE webhook_endpoints SET url = coalesce($2, url), description = coalesce($3, description),
              min_severity = coalesce($4, min_severity), active = coalesce($5, active),
              disabled_reason = CASE WHEN $5 IS TRUE THEN NULL ELSE disabled_reason END,
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, e.url, e.description, e.minSeverity, e.active],
    );
    return row;
  }

  deliveriesOfEndpoint(endpointId: string, limit: number): Promise<DeliveryRow[]> {
    return this.sql<DeliveryRow>(`SELECT * FROM deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [endpointId, limit]);
  }

  /** A webhook delivery, locked, with whether its endpoint is active. */
  async findWebhookDelivery(id: string): Promise<(DeliveryRow & { endpoint_active: boolean }) | null> {
    const [row] = await this.sql<DeliveryRow & { endpoint_active: boolean }>(
      `SELECT d.*, e.active AS endpoint_active FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.channel = 'webhook' FOR UPDATE OF d`,
      [id],
    );
    return row ?? null;
  }

  /** Puts a delivery back in the queue, due now. */
  async requeueDelivery(id: string): Promise<DeliveryRow> {
    const [row] = await this.sql<DeliveryRow>(
      `UPDATE deliveries SET state = 'pending', next_attempt_at = now(), last_error = NULL WHERE id = $1 RETURNING *`,
      [id],
    );
    return row;
  }
}
