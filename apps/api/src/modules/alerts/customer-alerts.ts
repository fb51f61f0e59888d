import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import { EventPublisher } from '../events';
import { ALERT_COLUMNS, ALERT_FROM, AlertRow, toAlert } from './alert.mapper';

/** What the customer did on her status page that a dispatcher must act on. */
export type CustomerSignal = 'proposal_declined' | 'not_fixed';

const RECIPIENTS = ['dispatcher', 'manager'];

/**
 * Alerts raised by the customer (not by a policy's clock): she declined a proposed promise or said the
 * fix did not work. Each is fired at once into the dispatchers' inbox (and their live streams), in the
 * transaction of her answer, so a rolled-back answer alerts nobody.
 */
@Injectable()
export class CustomerAlerts {
  constructor(
    private readonly tenant: TenantContext,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async raise(caseId: string, signal: CustomerSignal, message: string): Promise<void> {
    const sql = sqlOfManager(this.tenant.manager);
    const now = this.clock.now();
    const [{ id }] = await sql<{ id: string }>(
      `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity,
                           due_at, fired_at, state, message, recipient_roles)
       SELECT c.tenant_id, c.id, NULL, $2, 'customer', 'promised', c.promise_version, 'high', $3, $3, 'fired', $4, $5
         FROM cases c WHERE c.id = $1
       RETURNING id`,
      [caseId, `customer:${signal}:${randomUUID()}`, now, message, RECIPIENTS],
    );
    const [row] = await sql<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = $1`, [id]);
    await this.events.publishAlert(toAlert(row), RECIPIENTS);
  }
}
