import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { sqlOfManager } from '../../../common/database/sql';
import { TenantContext } from '../../../common/database/tenant-context';
import { RECOVERY_POLICY, RecoveryAlerts } from '../recovery-alerts';
import { OwnerPool } from './owner-pool';

/**
 * The recovery policy rule, run by the scheduler (`recovery_sweep`, every ten minutes): a case satisfied after
 * its promise or its need without a root cause (the SQL form of `needsRootCause` in libs/domain), and a
 * corrective action past its due time and not done, each raise one alert to the managers. Raising is
 * idempotent (one alert per case and key), so overlapping sweeps or a re-run after a crash add nothing.
 */
@Injectable()
export class RecoverySweepService {
  constructor(
    private readonly owner: OwnerPool,
    private readonly tenant: TenantContext,
    private readonly recovery: RecoveryAlerts,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const raised = `SELECT 1 FROM alerts a JOIN alert_policies p ON p.id = a.policy_id AND p.name = '${RECOVERY_POLICY.replace(/'/g, "''")}'
                     WHERE a.case_id = c.id AND a.rule_key = `;
    const missing = `c.status = 'satisfied' AND (c.satisfied_at > c.promised_at OR c.satisfied_at > c.required_at)
                     AND NOT EXISTS (SELECT 1 FROM root_causes r WHERE r.case_id = c.id) AND NOT EXISTS (${raised} 'root-cause')`;
    const overdue = `r.done_at IS NULL AND r.due_at < $1 AND NOT EXISTS (${raised} 'action-overdue:' || r.id::text)`;
    const { rows: tenants } = await this.owner.pool.query<{ tenant_id: string }>(
      `SELECT c.tenant_id FROM cases c WHERE ${missing}
       UNION SELECT r.tenant_id FROM root_causes r JOIN cases c ON c.id = r.case_id WHERE ${overdue}`,
      [now],
    );
    let n = 0;
    for (const { tenant_id: tenantId } of tenants) {
      n += await this.tenant.run(tenantId, async () => {
        const sql = sqlOfManager(this.tenant.manager);
        let k = 0;
        for (const c of await sql<{ id: string; number: number }>(`SELECT c.id, c.number FROM cases c WHERE ${missing} LIMIT 500`)) {
          const fresh = await this.recovery.raise({
            caseId: c.id,
            kind: 'root_cause',
            key: 'root-cause',
            severity: 'medium',
            message: `K-${c.number} was satisfied late and has no root cause yet`,
          });
          if (fresh) k += 1;
        }
        for (const r of await sql<{ id: string; case_id: string; number: number }>(
          `SELECT r.id, r.case_id, c.number FROM root_causes r JOIN cases c ON c.id = r.case_id WHERE ${overdue} LIMIT 500`,
          [now],
        )) {
          const fresh = await this.recovery.raise({
            caseId: r.case_id,
            kind: 'action_overdue',
            key: `action-overdue:${r.id}`,
            severity: 'high',
            message: `The corrective action for K-${r.number} is overdue`,
          });
          if (fresh) k += 1;
        }
        return k;
      });
    }
    return n;
  }
}
