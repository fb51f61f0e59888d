import { Injectable } from '@nestjs/common';
import type {
  AssignCaseRequest,
  CaseDetailResponse,
  CaseStatus,
  CaseSummaryResponse,
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
import type { CaseEntity } from './case.entity';
import { CaseException, CaseExceptionCode } from './case.exception';
import { assertAfterOpening, decodeCursor, encodeCursor, FUTURE_TOLERANCE_MS, isAssignable, NOT_ASSIGNABLE, notFoundCase, sameInstant } from './case.checks';
import { actorOf, type LedgerDraft, storedKeepProbability } from './case-ledger';
import { toCaseDetail, toCaseSummary } from './case.mapper';
import { CaseRepository } from './case.repository';
import { AlertPlanner } from '../alerts';
import { EventPublisher } from '../events';
import { ForecastService } from '../forecast';

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

  /** What a re-promise at `promisedAt` would be stored with (the re-promise form shows it as it is typed). */
  async keepProbabilityOf(id: string, promisedAt: string): Promise<KeepProbabilityResponse> {
    const c = await this.require(id);
    const at = new Date(promisedAt);
    return { promisedAt: at.toISOString(), keepProbability: await storedKeepProbability(this.forecast, c, at, this.clock.now()) };
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
        keepProbability: await storedKeepProbability(this.forecast, c, promisedAt, now),
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
      const actor = actorOf(principal, now);
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
      entries.map((e) => ({ ...actorOf(principal, now), caseId: c.id, promiseVersion: saved.promiseVersion, ...e })),
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
}
