import { Injectable } from '@nestjs/common';
import type { ExpectedStepMinutes } from '@kept/domain';
import { Clock } from '../../common/clock';
import { preparedSqlOfManager, sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import { expectedStepMinutes, PLAN_CONTEXT_COLUMNS, planNewCase, PlanContext, replanCase, ReplanResult } from './alert-planner';

/** Open cases re-planned per transaction when a whole tenant is re-planned (short transactions, bounded locks). */
const TENANT_BATCH = 200;

/**
 * The alert planner as a service: what other modules (cases, status links) and the worker's jobs call
 * to bring a case's pending alerts in line with its times. The rules stay in `alert-planner.ts` and
 * `libs/domain/alerts`; this only supplies the tenant transaction and the one injected {@link Clock}.
 */
@Injectable()
export class AlertPlanner {
  constructor(
    private readonly tenant: TenantContext,
    private readonly clock: Clock,
  ) {}

  /**
   * Re-plans one case in the caller's tenant transaction (a request's, or a job's inside
   * `TenantContext.run`), as of the clock's now. A case that does not exist (or is another tenant's)
   * plans nothing.
   */
  replanCase(caseId: string): Promise<ReplanResult> {
    return replanCase(preparedSqlOfManager(this.tenant.manager), caseId, this.clock.now());
  }

  /**
   * What the first plan of a case needs besides the case row, as select-list items over a `cases` row
   * aliased `c`: a create reads them in the statement that inserts the case, then calls {@link planCreated}.
   */
  readonly contextColumns = PLAN_CONTEXT_COLUMNS;

  /**
   * Plans a case just inserted in the caller's tenant transaction from what the insert wrote (`row`: the
   * cases row as JSON) and read ({@link contextColumns}), without reading it back: the same alerts, risk
   * and jobs as {@link replanCase} in one round trip.
   */
  planCreated(row: Record<string, unknown>, context: PlanContext, breakdown: Record<string, number> | null): Promise<ReplanResult> {
    return planNewCase(preparedSqlOfManager(this.tenant.manager), row, context, breakdown, this.clock.now());
  }

  /**
   * The expected minutes of each visit step per category, from the tenant's history (see
   * `expectedStepMinutes` in alert-planner.ts, the one reader of step history), in the caller's tenant
   * transaction. For modules that need the same figures as the at-risk rule (the forecast's step shares).
   */
  expectedStepMinutes(categories: (string | null)[]): Promise<Map<string | null, ExpectedStepMinutes>> {
    return expectedStepMinutes(sqlOfManager(this.tenant.manager), this.tenant.tenantId, categories);
  }

  /**
   * Re-plans every open case of a tenant (after a policy change), each batch of {@link TENANT_BATCH}
   * cases in its own short transaction, in id order. Runs outside any request (a worker job); returns
   * the number of cases re-planned.
   */
  async replanTenant(tenantId: string): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const done = await this.tenant.run(tenantId, async () => {
        const ids = await sqlOfManager(this.tenant.manager)<{ id: string }>(
          `SELECT id FROM cases WHERE tenant_id = $1 AND status NOT IN ('satisfied', 'cancelled') AND id > $2 ORDER BY id LIMIT $3`,
          [tenantId, after, TENANT_BATCH],
        );
        for (const { id } of ids) await this.replanCase(id);
        return ids.map((r) => r.id);
      });
      total += done.length;
      if (done.length < TENANT_BATCH) return total;
      after = done[done.length - 1];
    }
  }
}
