import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CaseDetailResponse, CreateCaseRequest } from '@kept/contracts';
import { Principal, userIdOf } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import type { FieldError } from '../../common/problem/app.exception';
import { CaseException, CaseExceptionCode } from './case.exception';
import { assertAfterOpening, FUTURE_TOLERANCE_MS, isAssignable, MAX_SPAN_MS, NOT_ASSIGNABLE } from './case.checks';
import { actorOf, type LedgerDraft, storedKeepProbability } from './case-ledger';
import { toCaseDetail } from './case.mapper';
import { CaseRepository } from './case.repository';
import { AlertPlanner, type PlanContext } from '../alerts';
import { EventPublisher } from '../events';
import { ForecastService } from '../forecast';

/**
 * Opening a case (POST /cases): checks the references and the times, then writes the case, its first
 * promise, its ledger entries and its live-stream notice in one statement and plans its alerts in one
 * more; the answer is built from what was written (it equals a later GET). The changes of an existing
 * case live in CaseService.
 */
@Injectable()
export class CaseCreator {
  constructor(
    private readonly cases: CaseRepository,
    private readonly clock: Clock,
    private readonly planner: AlertPlanner,
    private readonly events: EventPublisher,
    private readonly forecast: ForecastService,
  ) {}

  async create(input: CreateCaseRequest, principal: Principal): Promise<CaseDetailResponse> {
    const now = this.clock.now();
    const refs = await this.checkReferences(input);
    const assignee = refs.assignee ?? null;
    const openedAt = input.openedAt ? new Date(input.openedAt) : now;
    if (openedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new CaseException(CaseExceptionCode.INVALID_TIMES, 'A case cannot be opened in the future', [
        { path: 'openedAt', message: 'must not be in the future' },
      ]);
    }
    if (openedAt.getTime() < now.getTime() - MAX_SPAN_MS) {
      throw new CaseException(CaseExceptionCode.INVALID_TIMES, 'A case cannot be opened more than 50 years ago', [
        { path: 'openedAt', message: 'must not be more than 50 years ago' },
      ]);
    }
    const times = {
      requiredAt: input.requiredAt ? new Date(input.requiredAt) : null,
      expectedAt: input.expectedAt ? new Date(input.expectedAt) : null,
      promisedAt: input.promisedAt ? new Date(input.promisedAt) : null,
    };
    assertAfterOpening(openedAt, times, 'Times must lie after the case was opened (within 50 years)');

    const promiseVersion = times.promisedAt ? 1 : 0;
    // The id is chosen here so that everything the create writes (the case, its first promise, its ledger
    // entries, its live-stream notice) goes to the database in one statement.
    const draft = {
      id: randomUUID(),
      customerId: input.customerId,
      siteId: input.siteId ?? null,
      assetId: input.assetId ?? null,
      contractId: input.contractId ?? null,
      category: input.category,
      priority: input.priority,
      summary: input.summary,
      context: input.context ?? null,
      stressLevel: input.stressLevel ?? null,
      segments: input.segments ?? {},
      status: 'open' as const,
      pauseReason: null,
      openedAt,
      ...times,
      expectationSource: times.expectedAt ? (input.expectationSource ?? null) : null,
      promiseVersion,
      assigneeId: assignee?.id ?? null,
      team: assignee?.team ?? null,
      version: 1,
      createdBy: userIdOf(principal),
    };
    const promise = times.promisedAt
      ? {
          version: 1,
          promisedAt: times.promisedAt,
          breakdown: input.promiseBreakdown ?? null,
          keepProbability: await storedKeepProbability(this.forecast, draft, times.promisedAt, now),
          reason: 'First promise',
          customerAccepted: input.customerAccepted ?? null,
          createdBy: userIdOf(principal),
        }
      : null;
    const entry = (field: LedgerDraft['field'], newValue: string, extra: LedgerDraft = {}): LedgerDraft => ({
      ...actorOf(principal, now),
      field,
      oldValue: null,
      newValue,
      reason: 'Case opened',
      promiseVersion,
      ...extra,
    });
    const written = await this.cases.create(
      draft,
      promise,
      [
        entry('status', 'open'),
        ...(times.requiredAt ? [entry('requiredAt', times.requiredAt.toISOString())] : []),
        ...(times.expectedAt
          ? [entry('expectedAt', times.expectedAt.toISOString(), { expectationSource: input.expectationSource ?? null })]
          : []),
        ...(times.promisedAt
          ? [entry('promisedAt', times.promisedAt.toISOString(), { customerAccepted: input.customerAccepted ?? null })]
          : []),
        ...(assignee ? [entry('assignee', assignee.id)] : []),
      ],
      { extra: this.planner.contextColumns, notice: this.events.caseNotice(draft) },
    );
    // The alerts of the new case, as afterChange would plan them, from what the insert wrote and read.
    await this.planner.planCreated(written.row, written.extra as unknown as PlanContext, promise?.breakdown ?? null);
    const c = written.case;
    const one = <T extends { id: string }>(x: T | null) => (x ? new Map([[x.id, x]]) : new Map<string, T>());
    return toCaseDetail(
      c,
      {
        cases: [c],
        customers: one(refs.customer),
        sites: one(refs.site),
        contracts: one(refs.contract),
        calendars: one(refs.calendar),
        pauses: new Map(),
        assignees: one(assignee),
      },
      { ledger: written.ledger, milestones: [], promises: written.promises, users: new Map(assignee ? [[assignee.id, assignee.name]] : []) },
      this.clock.now(),
    );
  }

  /** 422 listing every reference that does not exist; the referenced rows when all do. */
  private async checkReferences(input: CreateCaseRequest) {
    const refs = await this.cases.references(input);
    const assignee = refs.assignee ?? undefined;
    const errors: FieldError[] = [];
    if (input.assigneeId && !isAssignable(assignee)) errors.push({ path: 'assigneeId', message: NOT_ASSIGNABLE });
    if (!refs.customer) errors.push({ path: 'customerId', message: 'unknown customer' });
    if (input.siteId && (!refs.site || refs.site.customerId !== input.customerId)) {
      errors.push({ path: 'siteId', message: 'unknown site, or a site of another customer' });
    }
    if (input.assetId && (!refs.asset || refs.asset.customer_id !== input.customerId || (input.siteId && refs.asset.site_id !== input.siteId))) {
      errors.push({ path: 'assetId', message: 'unknown asset, or an asset of another customer or site' });
    }
    if (input.contractId && (!refs.contract || refs.contract.customerId !== input.customerId)) {
      errors.push({ path: 'contractId', message: 'unknown contract, or a contract of another customer' });
    }
    if (errors.length) throw new CaseException(CaseExceptionCode.INVALID_REFERENCE, 'The case refers to records that do not exist', errors);
    return refs;
  }
}
