import { Injectable } from '@nestjs/common';
import type { AlertPolicyResponse, CreateAlertPolicyRequest, UpdateAlertPolicyRequest } from '@kept/contracts';
import { TenantContext } from '../../common/database/tenant-context';
import { assertVersion, ExpectedVersion } from '../../common/http/concurrency';
import { notFound } from '../../common/problem/app.exception';
import { PolicyRow, toPolicy } from './alert.mapper';
import { Sql, sqlOfManager } from './sql';

const COLUMNS: Record<keyof CreateAlertPolicyRequest, string> = {
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

/**
 * Alert policies per tenant. A change re-plans the tenant's open cases in the background (a job);
 * deactivating cancels the policy's pending alerts at once, in the same transaction.
 */
@Injectable()
export class PoliciesService {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  async list(): Promise<AlertPolicyResponse[]> {
    const rows = await this.sql<PolicyRow>(`SELECT * FROM alert_policies ORDER BY target DESC, name`);
    return rows.map(toPolicy);
  }

  async get(id: string): Promise<AlertPolicyResponse> {
    return toPolicy(await this.require(id));
  }

  async create(input: CreateAlertPolicyRequest): Promise<AlertPolicyResponse> {
    const keys = Object.keys(COLUMNS) as (keyof CreateAlertPolicyRequest)[];
    const [row] = await this.sql<PolicyRow>(
      `INSERT INTO alert_policies (tenant_id, ${keys.map((k) => COLUMNS[k]).join(', ')})
       VALUES ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING *`,
      [this.tenant.tenantId, ...keys.map((k) => input[k])],
    );
    await this.replanTenant();
    return toPolicy(row);
  }

  async update(id: string, input: UpdateAlertPolicyRequest, expected: ExpectedVersion): Promise<AlertPolicyResponse> {
    const current = await this.require(id, true);
    assertVersion(expected, current.version);
    const { version: _v, ...changes } = input;
    const keys = (Object.keys(changes) as (keyof CreateAlertPolicyRequest)[]).filter((k) => changes[k] !== undefined);
    const [row] = await this.sql<PolicyRow>(
      `UPDATE alert_policies SET ${keys.map((k, i) => `${COLUMNS[k]} = $${i + 2}`).join(', ')}${keys.length ? ',' : ''}
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, ...keys.map((k) => changes[k])],
    );
    if (row.active === false) {
      // A deactivated policy fires nothing more: its pending alerts go now (their jobs with them).
      await this.sql(`UPDATE alerts SET state = 'cancelled', updated_at = now() WHERE policy_id = $1 AND state = 'pending'`, [id]);
    }
    await this.replanTenant();
    return toPolicy(row);
  }

  /** Re-plans every open case of the tenant in a background job (one at a time per tenant). */
  private async replanTenant(): Promise<void> {
    await this.sql(`SELECT kept_enqueue_replan($1)`, [this.tenant.tenantId]);
  }

  private async require(id: string, lock = false): Promise<PolicyRow> {
    const [row] = await this.sql<PolicyRow>(`SELECT * FROM alert_policies WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row) throw notFound('Alert policy', id);
    return row;
  }
}
