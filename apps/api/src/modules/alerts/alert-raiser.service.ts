import { Injectable } from '@nestjs/common';
import type { AlertResponse, AlertSeverity } from '@kept/contracts';
import { sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import { EventPublisher } from '../events';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow, toAlert } from './alert.mapper';

/**
 * The policy that routes requests from the field (an engineer asking for a re-promise…) to the inbox. It
 * has no timed rules, so the planner never schedules anything from it; admins may change its recipients
 * or channels in the settings like any policy. Made on first use per tenant.
 */
export const FIELD_REQUESTS_POLICY = 'Requests from the field';

export interface RaiseAlert {
  caseId: string;
  /** Unique per case and target version, e.g. `repromise-request:<id>`: raising it twice raises it once. */
  ruleKey: string;
  message: string;
  severity: AlertSeverity;
}

/**
 * Alerts that are not planned from a deadline but raised by something someone did (kind `request`): they
 * fire at once — in the caller's transaction, to the live inbox of the policy's recipient roles — and
 * stay until acknowledged, like any fired alert. Timed alerts stay with {@link AlertPlanner}.
 */
@Injectable()
export class AlertRaiser {
  constructor(
    private readonly tenant: TenantContext,
    private readonly events: EventPublisher,
  ) {}

  private get sql() {
    return sqlOfManager(this.tenant.manager);
  }

  async raise(input: RaiseAlert): Promise<AlertResponse> {
    await this.sql(
      `INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach, repeat_every_minutes,
         escalate_after_minutes, at_risk, channels, recipient_roles, active)
       VALUES ($1, $2, 'promised', 'business', '{}', '{}', false, NULL, NULL, false, '{in_app}', '{admin,manager,dispatcher}', true)
       ON CONFLICT (tenant_id, name) DO NOTHING`,
      [this.tenant.tenantId, FIELD_REQUESTS_POLICY],
    );
    const [inserted] = await this.sql<{ id: string }>(
      `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, fired_at,
         state, message, recipient_roles)
       SELECT $1, c.id, p.id, $4, 'request', 'promised', c.promise_version, $5, now(), now(), 'fired', $6, p.recipient_roles
         FROM cases c, alert_policies p WHERE c.id = $2 AND p.name = $3
       ON CONFLICT (case_id, policy_id, rule_key, target_version) DO NOTHING
       RETURNING id`,
      [this.tenant.tenantId, input.caseId, FIELD_REQUESTS_POLICY, input.ruleKey, input.severity, input.message],
    );
    const [row] = inserted
      ? await this.sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1`, [inserted.id])
      : await this.sql<AlertRow>(
          `SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.case_id = $1 AND a.rule_key = $2 AND a.kind = 'request'
            ORDER BY a.created_at DESC LIMIT 1`,
          [input.caseId, input.ruleKey],
        );
    const alert = toAlert(row);
    if (inserted) await this.events.publishAlert(alert, row.recipient_roles);
    return alert;
  }

  /** The request was answered: its alert is acknowledged by whoever answered (nothing if already done). */
  async settle(alertId: string, userId: string | null): Promise<void> {
    await this.sql(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = now(), updated_at = now()
        WHERE id = $1 AND state = 'fired'`,
      [alertId, userId],
    );
  }
}
