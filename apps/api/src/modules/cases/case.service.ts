import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  AssignCaseRequest,
  CaseDetailResponse,
  CaseStatus,
  CaseSummaryResponse,
  CreateCaseRequest,
  KeepProbabilityResponse,
  ListCasesQuery,
  Page,
  PauseRequest,
  RecordMilestoneRequest,
  RepromiseRequest,
  TransitionRequest,
  UpdateCaseRequest,
} from '@kept/contracts';
import { Principal, userIdOf } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { assertVersion, ExpectedVersion } from '../../common/http/concurrency';
import type { FieldError } from '../../common/problem/app.exception';
import type { CaseEntity, LedgerEntryEntity } from './case.entity';
import { CaseException, CaseExceptionCode } from './case.exception';
import { assertAfterOpening, decodeCursor, encodeCursor, FUTURE_TOLERANCE_MS, isAssignable, MAX_SPAN_MS, NOT_ASSIGNABLE, notFoundCase, sameInstant } from './case.checks';
import { toCaseDetail, toCaseSummary } from './case.mapper';
import { CaseRepository } from './case.repository';
import { AlertPlanner, type PlanContext } from '../alerts';
import { EventPublisher } from '../events';
import { ForecastService, type OpenCaseInput } from '../forecast';

type LedgerDraft = Omit<Partial<LedgerEntryEntity>, 'id' | 'tenantId'>;

const CLOSED: CaseStatus[] = ['satisfied', 'cancelled'];

@Injectable()
export class CaseService {
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
          keepProbability: await this.keepProbability(draft, times.promisedAt, now),
          reason: 'First promise',
          customerAccepted: input.customerAccepted ?? null,
          createdBy: userIdOf(principal),
        }
      : null;
    const entry = (field: LedgerDraft['field'], newValue: string, extra: LedgerDraft = {}): LedgerDraft => ({
      ...this.actor(principal, now),
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

  /** What a re-promise at `promisedAt` would be stored with (the re-promise form shows it as it is typed). */
  async keepProbabilityOf(id: string, promisedAt: string): Promise<KeepProbabilityResponse> {
    const c = await this.require(id);
    const at = new Date(promisedAt);
    return { promisedAt: at.toISOString(), keepProbability: await this.keepProbability(c, at, this.clock.now()) };
  }

  async get(id: string): Promise<CaseDetailResponse> {
    const rows = await this.cases.detail(id);
    if (!rows) throw notFoundCase(id);
    return toCaseDetail(rows.case, rows.bundle, rows.history, this.clock.now());
  }

  async list(query: ListCasesQuery): Promise<Page<CaseSummaryResponse>> {
    const rows = await this.cases.list(query, query.cursor ? decodeCursor(query.cursor) : null);
    const page = rows.slice(0, query.limit);
    const bundle = await this.cases.bundle(page);
    const now = this.clock.now();
    const last = page[page.length - 1];
    return {
      items: page.map((c) => toCaseSummary(c, bundle, now)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ openedAt: last.openedAt, id: last.id }) : null,
    };
  }

  async update(id: string, input: UpdateCaseRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, (c, entries) => {
      const { version: _v, reason, expectationSource, requiredAt, expectedAt, ...plain } = input;
      Object.assign(c, plain);
      for (const [field, value] of [['requiredAt', requiredAt], ['expectedAt', expectedAt]] as const) {
        if (value === undefined) continue;
        const next = value === null ? null : new Date(value);
        assertAfterOpening(c.openedAt, { [field]: next });
        if (sameInstant(c[field], next)) continue;
        entries.push({
          field,
          oldValue: c[field]?.toISOString() ?? null,
          newValue: next?.toISOString() ?? null,
          reason: reason ?? null,
          expectationSource: field === 'expectedAt' ? (expectationSource ?? null) : null,
        });
        c[field] = next;
        if (field === 'expectedAt') c.expectationSource = next ? (expectationSource ?? null) : null;
      }
      if (expectedAt === undefined && expectationSource !== undefined && c.expectedAt) c.expectationSource = expectationSource;
    });
  }

  async repromise(id: string, input: RepromiseRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries, now) => {
      this.assertNotClosed(c);
      const promisedAt = new Date(input.promisedAt);
      assertAfterOpening(c.openedAt, { promisedAt });
      const version = c.promiseVersion + 1;
      entries.push({
        field: 'promisedAt',
        oldValue: c.promisedAt?.toISOString() ?? null,
        newValue: promisedAt.toISOString(),
        reason: input.reason,
        customerAccepted: input.customerAccepted,
        promiseVersion: version,
      });
      await this.cases.addPromise({
        caseId: c.id,
        version,
        promisedAt,
        breakdown: input.promiseBreakdown ?? null,
        keepProbability: await this.keepProbability(c, promisedAt, now),
        reason: input.reason,
        customerAccepted: input.customerAccepted,
        createdBy: userIdOf(principal),
        createdAt: now,
      });
      c.promisedAt = promisedAt;
      c.promiseVersion = version;
    });
  }

  /**
   * A dispatcher changes who works on the case (or unassigns it). The case's team follows the new
   * assignee's team unless the request names one. The ledger entry keeps both user ids as old → new
   * value with the dispatcher's reason; responses name the users (LedgerEntryResponse old/newLabel).
   */
  async assign(id: string, input: AssignCaseRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries) => {
      this.assertNotClosed(c);
      const [next] = input.assigneeId ? await this.cases.users([input.assigneeId]) : [];
      if (input.assigneeId && !isAssignable(next)) {
        throw new CaseException(CaseExceptionCode.INVALID_REFERENCE, `User ${input.assigneeId} cannot be assigned cases`, [
          { path: 'assigneeId', message: NOT_ASSIGNABLE },
        ]);
      }
      entries.push({ field: 'assignee', oldValue: c.assigneeId, newValue: next?.id ?? null, reason: input.reason });
      c.assigneeId = next?.id ?? null;
      c.team = input.team !== undefined ? input.team : (next?.team ?? null);
    });
  }

  async pause(id: string, input: PauseRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries, now) => {
      this.assertStatus(c, ['open'], 'pause');
      const at = this.instant(input.at, c, now);
      await this.cases.openPause({ caseId: c.id, startedAt: at, reason: input.reason, createdBy: userIdOf(principal) });
      entries.push(this.statusEntry(c, 'paused', input.reason));
      c.status = 'paused';
      c.pauseReason = input.reason;
    });
  }

  async resume(id: string, input: TransitionRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries, now) => {
      this.assertStatus(c, ['paused'], 'resume');
      await this.cases.closeOpenPause(c.id, this.instant(input.at, c, now));
      entries.push(this.statusEntry(c, 'open', input.reason ?? null));
      c.status = 'open';
      c.pauseReason = null;
    });
  }

  async recordMilestone(id: string, input: RecordMilestoneRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, _entries, now) => {
      this.assertNotClosed(c);
      const actor = this.actor(principal, now);
      await this.cases.addMilestone({
        caseId: c.id,
        kind: input.kind,
        at: this.instant(input.at, c, now),
        actorKind: actor.actorKind,
        actorId: actor.actorId,
        actorName: actor.actorName,
        note: input.note ?? null,
      });
    });
  }

  /** The engineer's first successful test: the case is fixed (satisfaction still pending). */
  async markFixed(id: string, input: TransitionRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries, now) => {
      this.assertStatus(c, ['open', 'paused'], 'mark fixed');
      const at = this.instant(input.at, c, now);
      await this.endPause(c, at);
      entries.push({ field: 'fixedAt', oldValue: null, newValue: at.toISOString(), reason: input.reason ?? null });
      entries.push(this.statusEntry(c, 'fixed', input.reason ?? null));
      c.fixedAt = at;
      c.status = 'fixed';
      c.pauseReason = null;
    });
  }

  /** The customer is satisfied: the last of the four times arrives and the promise is judged. */
  async markSatisfied(id: string, input: TransitionRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries, now) => {
      this.assertStatus(c, ['open', 'paused', 'fixed'], 'mark satisfied');
      const at = this.instant(input.at, c, now);
      if (c.fixedAt && at.getTime() < c.fixedAt.getTime()) {
        throw new CaseException(CaseExceptionCode.INVALID_TIMES, 'Satisfaction cannot come before the fix', [
          { path: 'at', message: 'must not be before fixedAt' },
        ]);
      }
      await this.endPause(c, at);
      if (!c.fixedAt) {
        entries.push({ field: 'fixedAt', oldValue: null, newValue: at.toISOString(), reason: input.reason ?? null });
        c.fixedAt = at;
      }
      entries.push({ field: 'satisfiedAt', oldValue: null, newValue: at.toISOString(), reason: input.reason ?? null });
      entries.push(this.statusEntry(c, 'satisfied', input.reason ?? null));
      c.satisfiedAt = at;
      c.status = 'satisfied';
      c.pauseReason = null;
    });
  }

  /**
   * The customer says it is not fixed: a fixed case opens again (its fix is withdrawn, the clock runs on
   * towards the same promise).
   */
  async reopen(id: string, input: TransitionRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries) => {
      this.assertStatus(c, ['fixed'], 'reopen');
      entries.push({ field: 'fixedAt', oldValue: c.fixedAt?.toISOString() ?? null, newValue: null, reason: input.reason ?? null });
      entries.push(this.statusEntry(c, 'open', input.reason ?? null));
      c.fixedAt = null;
      c.status = 'open';
    });
  }

  /**
   * A ledger entry that changes none of the case's times (the customer declined a proposed promise,
   * answered the survey): appended like any change, under the case's lock and version.
   */
  async recordInLedger(
    id: string,
    entry: { field: 'proposal' | 'survey'; oldValue: string | null; newValue: string | null; reason: string | null; customerAccepted?: 'yes' | 'no' | null },
    expected: ExpectedVersion,
    principal: Principal,
  ) {
    return this.mutate(id, expected, principal, async (_c, entries) => {
      entries.push({ ...entry, customerAccepted: entry.customerAccepted ?? null });
    });
  }

  async cancel(id: string, input: TransitionRequest, expected: ExpectedVersion, principal: Principal) {
    return this.mutate(id, expected, principal, async (c, entries, now) => {
      this.assertNotClosed(c);
      await this.endPause(c, now);
      entries.push(this.statusEntry(c, 'cancelled', input.reason ?? null));
      c.status = 'cancelled';
      c.pauseReason = null;
    });
  }

  /**
   * One change to one case: lock the row, check the version the client read, apply the change, bump
   * the version and append every ledger entry, all in the request's transaction.
   */
  private async mutate(
    id: string,
    expected: ExpectedVersion,
    principal: Principal,
    change: (c: CaseEntity, entries: LedgerDraft[], now: Date) => void | Promise<void>,
  ): Promise<CaseDetailResponse> {
    const c = await this.cases.findForUpdate(id);
    if (!c) throw notFoundCase(id);
    assertVersion(expected, c.version);
    const now = this.clock.now();
    const entries: LedgerDraft[] = [];
    await change(c, entries, now);
    c.version += 1;
    const saved = await this.cases.save(c);
    await this.cases.appendLedger(
      entries.map((e) => ({ ...this.actor(principal, now), caseId: c.id, promiseVersion: saved.promiseVersion, ...e })),
    );
    await this.afterChange(saved);
    return this.detail(saved);
  }

  /**
   * In the same transaction as the change: re-plan the case's alerts (new times, pauses, milestones,
   * closure) and tell the live streams; both take effect only if the change commits.
   */
  private async afterChange(c: CaseEntity): Promise<void> {
    await this.planner.replanCase(c.id);
    await this.events.publishCase(c);
  }

  /**
   * The keep-probability a promise of the case at `promisedAt` is stored with: the forecast's, given the
   * case is still open at `now` (ForecastService.keepProbabilities, the board's own figure), rounded to
   * 0.001. Null when the forecast has no data, the case is fixed, or the forecast fails (a promise is
   * never refused for want of a figure).
   */
  private async keepProbability(c: OpenCaseInput, promisedAt: Date, now: Date): Promise<number | null> {
    try {
      const p = (await this.forecast.keepProbabilities([{ ...c, promisedAt }], now)).get(c.id) ?? null;
      return p === null ? null : Math.round(p * 1000) / 1000;
    } catch {
      return null;
    }
  }

  private async detail(c: CaseEntity): Promise<CaseDetailResponse> {
    const rows = await this.cases.detail(c.id);
    if (!rows) throw notFoundCase(c.id);
    return toCaseDetail(c, rows.bundle, rows.history, this.clock.now());
  }

  private async require(id: string): Promise<CaseEntity> {
    const c = await this.cases.findById(id);
    if (!c) throw notFoundCase(id);
    return c;
  }

  private async endPause(c: CaseEntity, at: Date): Promise<void> {
    if (c.status === 'paused') await this.cases.closeOpenPause(c.id, at);
  }

  private statusEntry(c: CaseEntity, next: CaseStatus, reason: string | null): LedgerDraft {
    return { field: 'status', oldValue: c.status, newValue: next, reason };
  }

  private assertNotClosed(c: CaseEntity): void {
    if (CLOSED.includes(c.status)) {
      throw new CaseException(CaseExceptionCode.CASE_CLOSED, `Case K-${c.number} is ${c.status}; it cannot change any more`);
    }
  }

  private assertStatus(c: CaseEntity, allowed: CaseStatus[], action: string): void {
    this.assertNotClosed(c);
    if (!allowed.includes(c.status)) {
      throw new CaseException(
        CaseExceptionCode.INVALID_TRANSITION,
        `Cannot ${action} case K-${c.number} while it is ${c.status} (allowed from: ${allowed.join(', ')})`,
      );
    }
  }

  /** A client-supplied instant for an event: not before the case opened, not in the future. */
  private instant(value: string | undefined, c: CaseEntity, now: Date): Date {
    if (!value) return now;
    const at = new Date(value);
    if (at.getTime() < c.openedAt.getTime() || at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new CaseException(CaseExceptionCode.INVALID_TIMES, 'The time must lie between the case opening and now', [
        { path: 'at', message: 'must be between openedAt and now' },
      ]);
    }
    return at;
  }

  private actor(principal: Principal, now: Date) {
    return { at: now, actorKind: principal.kind, actorId: principal.id, actorName: principal.name } as const;
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
