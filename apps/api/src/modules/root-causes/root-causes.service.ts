import { Injectable } from '@nestjs/common';
import type { CreateRootCauseRequest, RootCause, RootCauseAnalytics, RootCauseList, RootCauseQueue } from '@kept/contracts';
import { minutesLate, pareto, worstMiss } from '@kept/domain';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/problem/app.exception';
import { RootCauseException, RootCauseExceptionCode } from './root-cause.exception';
import { toQueueItem, toRootCause } from './root-cause.mapper';
import { RootCauseRepository } from './root-cause.repository';

/** Root causes: one per missed case (its facts fixed), the queue of missed cases without one, corrective actions and the Pareto. */
@Injectable()
export class RootCausesService {
  constructor(
    private readonly repo: RootCauseRepository,
    private readonly clock: Clock,
  ) {}

  async record(caseId: string, body: CreateRootCauseRequest, principal: Principal): Promise<RootCause> {
    const c = await this.repo.caseOf(caseId);
    if (!c) throw notFound('Case', caseId);
    const now = this.clock.now();
    // A satisfied case is judged at its satisfied time; an open one that is already past its promise or need may get its cause early.
    const miss = c.status === 'cancelled' ? null : worstMiss({ satisfiedAt: c.satisfied_at, promisedAt: c.promised_at, requiredAt: c.required_at }, now);
    if (!miss) {
      throw new RootCauseException(
        RootCauseExceptionCode.ROOT_CAUSE_CASE_KEPT,
        c.status === 'cancelled' ? 'The case was cancelled' : 'The case was satisfied within its promise and its need: there is no miss to explain',
      );
    }
    if (!(await this.repo.activeUser(body.ownerId))) {
      throw new RootCauseException(RootCauseExceptionCode.ROOT_CAUSE_INVALID, 'The owner must be an active user', [{ path: 'ownerId', message: 'unknown or inactive user' }]);
    }
    const dueAt = new Date(body.dueAt);
    if (dueAt.getTime() > now.getTime() + 366 * 86_400_000) {
      throw new RootCauseException(RootCauseExceptionCode.ROOT_CAUSE_INVALID, 'A corrective action is due within a year', [{ path: 'dueAt', message: 'more than a year ahead' }]);
    }
    const id = await this.repo.insert({
      caseId,
      category: body.category,
      whys: body.whys,
      correctiveAction: body.correctiveAction,
      ownerId: body.ownerId,
      dueAt,
      minutesLost: Math.max(1, miss.minutes),
      team: c.team,
      recordedBy: userIdOf(principal),
      recordedAt: now,
    });
    if (!id) throw new RootCauseException(RootCauseExceptionCode.ROOT_CAUSE_EXISTS, 'Mark its corrective action done instead');
    return toRootCause((await this.repo.byId(id))!, now);
  }

  async ofCase(caseId: string): Promise<RootCause | null> {
    const row = await this.repo.ofCase(caseId);
    return row ? toRootCause(row, this.clock.now()) : null;
  }

  async list(open: boolean): Promise<RootCauseList> {
    const now = this.clock.now();
    return { items: (await this.repo.list(open)).map((r) => toRootCause(r, now)) };
  }

  async done(id: string): Promise<RootCause> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('Root cause', id);
    const now = this.clock.now();
    if (!(await this.repo.markDone(id, now))) throw new RootCauseException(RootCauseExceptionCode.ROOT_CAUSE_APPEND_ONLY, 'The corrective action is already done');
    return toRootCause((await this.repo.byId(id))!, now);
  }

  appendOnly(): never {
    throw new RootCauseException(RootCauseExceptionCode.ROOT_CAUSE_APPEND_ONLY, 'Root causes are append-only; only the corrective action can be marked done');
  }

  async queue(): Promise<RootCauseQueue> {
    return {
      items: (await this.repo.queue()).map((r) =>
        toQueueItem(r, minutesLate({ satisfiedAt: r.satisfied_at, promisedAt: r.promised_at, requiredAt: r.required_at })),
      ),
    };
  }

  async analytics(from: string | undefined, to: string | undefined): Promise<RootCauseAnalytics> {
    const rows = (await this.repo.byCategoryAndTeam(from ? new Date(from) : null, to ? new Date(to) : null)).map((r) => ({
      category: r.category,
      team: r.team,
      count: Number(r.count),
      hoursLost: Math.round(Number(r.minutes) / 6) / 10,
    }));
    const byCategory = new Map<string, { category: string; count: number; hoursLost: number }>();
    for (const r of rows) {
      const c = byCategory.get(r.category) ?? { category: r.category, count: 0, hoursLost: 0 };
      c.count += r.count;
      c.hoursLost = Math.round((c.hoursLost + r.hoursLost) * 10) / 10;
      byCategory.set(r.category, c);
    }
    const actions = await this.repo.actionCounts(this.clock.now());
    return {
      pareto: pareto([...byCategory.values()]),
      byTeam: rows,
      openActions: actions.open,
      overdueActions: actions.overdue,
      queued: await this.repo.queuedCount(),
    };
  }
}
