import { Injectable } from '@nestjs/common';
import type { AlertSeverity } from '@kept/contracts';
import { Clock } from '../../common/clock';
import { sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import { EventPublisher } from '../events';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow, toAlert } from './alert.mapper';
import { JobsRepository } from './worker/jobs.repository';

/** The policy that carries recovery alerts; it has no timed rules, so the planner never plans anything for it. */
export const RECOVERY_POLICY = 'Recovery (goodwill, root causes)';
export type RecoveryAlertKind = 'goodwill_approval' | 'root_cause' | 'action_overdue';

/**
 * Alerts that are not about a deadline but about recovery work a manager must do: an offer waiting for
 * approval, a missed case without a root cause, an overdue corrective action. Each is raised at most once
 * per case and key (the alerts table's unique key), fired at once through the tenant's channels — in-app and
 * e-mail to managers and admins — and then lives in the inbox like any other alert (acknowledge, snooze).
 */
@Injectable()
export class RecoveryAlerts {
  constructor(
    private readonly tenant: TenantContext,
    private readonly events: EventPublisher,
    private readonly jobs: JobsRepository,
    private readonly clock: Clock,
  ) {}

  /** Raises the alert unless it was raised before; true when it is new. */
  async raise(a: { caseId: string; kind: RecoveryAlertKind; key: string; message: string; severity: AlertSeverity }): Promise<boolean> {
    const sql = sqlOfManager(this.tenant.manager);
    const [policy] = await sql<{ id: string; channels: string[]; recipient_roles: string[]; active: boolean }>(
      `WITH made AS (
         INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach, at_risk, channels, recipient_roles)
         VALUES ($1, $2, 'promised', 'wall', '{}', '{}', false, false, '{in_app,email}', '{manager,admin}')
         ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id, channels, recipient_roles, active)
       SELECT * FROM made UNION ALL SELECT id, channels, recipient_roles, active FROM alert_policies WHERE name = $2 LIMIT 1`,
      [this.tenant.tenantId, RECOVERY_POLICY],
    );
    if (!policy.active) return false;
    const now = this.clock.now();
    const [inserted] = await sql<{ id: string }>(
      `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, fired_at, state, message, recipient_roles)
       VALUES ($1, $2, $3, $4, $5, 'promised', 0, $6, $7, $7, 'fired', $8, $9)
       ON CONFLICT (case_id, policy_id, rule_key, target_version) DO NOTHING RETURNING id`,
      [this.tenant.tenantId, a.caseId, policy.id, a.key, a.kind, a.severity, now, a.message, policy.recipient_roles],
    );
    if (!inserted) return false;
    const [row] = await sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1`, [inserted.id]);
    if (policy.channels.includes('in_app')) await this.events.publishAlert(toAlert(row), policy.recipient_roles);
    if (policy.channels.includes('email')) {
      const users = (await this.jobs.emailRecipients(row)).filter((u) => u.email_enabled !== false);
      if (users.length) await this.jobs.queueEmails(row, users.map((u) => ({ user: u.id, email: u.email, at: now })));
    }
    return true;
  }
}
