import { Injectable } from '@nestjs/common';
import type { AlertPolicyResponse, CreateAlertPolicyRequest, UpdateAlertPolicyRequest } from '@kept/contracts';
import { assertVersion, ExpectedVersion } from '../../common/http/concurrency';
import { AlertException, AlertExceptionCode } from './alert.exception';
import { PolicyRow, toPolicy } from './alert.mapper';
import { AlertsRepository } from './alerts.repository';

/**
 * Alert policies per tenant. A change re-plans the tenant's open cases in the background (a job);
 * deactivating cancels the policy's pending alerts at once, in the same transaction.
 */
@Injectable()
export class PoliciesService {
  constructor(private readonly alerts: AlertsRepository) {}

  async list(): Promise<AlertPolicyResponse[]> {
    return (await this.alerts.listPolicies()).map(toPolicy);
  }

  async get(id: string): Promise<AlertPolicyResponse> {
    return toPolicy(await this.require(id));
  }

  async create(input: CreateAlertPolicyRequest): Promise<AlertPolicyResponse> {
    const row = await this.alerts.insertPolicy(input);
    await this.alerts.enqueueTenantReplan();
    return toPolicy(row);
  }

  async update(id: string, input: UpdateAlertPolicyRequest, expected: ExpectedVersion): Promise<AlertPolicyResponse> {
    const current = await this.require(id, true);
    assertVersion(expected, current.version);
    const { version: _v, ...changes } = input;
    const row = await this.alerts.updatePolicy(id, changes);
    // A deactivated policy fires nothing more: its pending alerts go now (their jobs with them).
    if (row.active === false) await this.alerts.cancelPendingOfPolicy(id);
    await this.alerts.enqueueTenantReplan();
    return toPolicy(row);
  }

  private async require(id: string, lock = false): Promise<PolicyRow> {
    const row = await this.alerts.findPolicy(id, lock);
    if (!row) throw new AlertException(AlertExceptionCode.ALERT_POLICY_NOT_FOUND, `Alert policy ${id} does not exist`);
    return row;
  }
}
