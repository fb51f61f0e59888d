import { Injectable } from '@nestjs/common';
import {
  BudgetList,
  BudgetRequest,
  CaseGoodwill,
  CaseOptionsRecord,
  CaseOptionsRequest,
  CreateOfferRequest,
  CSAT_GROUPS,
  CustomerResponseRequest,
  DecisionRequest,
  DEFAULT_GOODWILL_SETTINGS,
  GoodwillAnalytics,
  GoodwillOffer,
  GoodwillSettings,
  GoodwillSettingsResponse,
  OfferList,
  Role,
} from '@kept/contracts';
import { approvalRefusal, decideOffer, suggestNextStep, worstMiss } from '@kept/domain';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { RecoveryAlerts } from '../alerts';
import { notFound } from '../../common/problem/app.exception';
import { GoodwillException, GoodwillExceptionCode } from './goodwill.exception';
import { toBudget, toOffer, toOptions, toSettings } from './goodwill.mapper';
import { GoodwillRepository } from './goodwill.repository';

const monthOf = (d: Date) => `${d.toISOString().slice(0, 7)}-01`;

/** Goodwill: empowerment limits, the ladder, budgets, the append-only offer ledger with approvals, and options instead of no. */
@Injectable()
export class GoodwillService {
  constructor(
    private readonly repo: GoodwillRepository,
    private readonly clock: Clock,
    private readonly alerts: RecoveryAlerts,
  ) {}

  async settings(): Promise<GoodwillSettingsResponse> {
    const row = await this.repo.settings();
    return row ? toSettings(row) : { ...DEFAULT_GOODWILL_SETTINGS, version: 0 };
  }

  async updateSettings(body: GoodwillSettings, ifMatch: number | null): Promise<GoodwillSettingsResponse> {
    const current = await this.repo.settings(true);
    if (ifMatch !== null && (current?.version ?? 0) !== ifMatch) {
      throw new GoodwillException(GoodwillExceptionCode.GOODWILL_VERSION_CONFLICT, `The settings are at version ${current?.version ?? 0}`);
    }
    const stray = body.kinds.findIndex((k) => k.currency !== body.currency);
    if (stray >= 0) {
      throw new GoodwillException(GoodwillExceptionCode.GOODWILL_INVALID_SETTINGS, 'Every kind must be valued in the tenant currency', [
        { path: `kinds.${stray}.currency`, message: `must be ${body.currency}` },
      ]);
    }
    return toSettings(await this.repo.upsertSettings(body));
  }

  private limitOf(s: GoodwillSettings, role: Role): number {
    return role === 'viewer' ? 0 : s.limits[role];
  }

  async setBudget(body: BudgetRequest): Promise<BudgetList> {
    await this.repo.upsertBudget({ ...body, month: `${body.month}-01` });
    return this.budgets(body.month);
  }

  async budgets(month?: string): Promise<BudgetList> {
    const m = month ? `${month}-01` : monthOf(this.clock.now());
    return { items: (await this.repo.budgets(m)).map(toBudget) };
  }

  async ofCase(caseId: string, principal: Principal): Promise<CaseGoodwill> {
    const c = await this.repo.caseOf(caseId);
    if (!c) throw notFound('Case', caseId);
    const s = await this.settings();
    const now = this.clock.now();
    const givenMinor = await this.repo.givenOnCase(caseId, s.currency);
    const limit = this.limitOf(s, principal.role);
    const miss = worstMiss({ satisfiedAt: c.satisfied_at, promisedAt: c.promised_at, requiredAt: c.required_at }, now);
    const suggestion = suggestNextStep({ ladderMinor: s.ladder, givenMinor, gapMinutes: miss?.minutes ?? 0, stressLevel: c.stress_level, limitMinor: limit });
    return {
      caseId,
      currency: s.currency,
      givenMinor,
      myLimitMinor: limit,
      suggestion: { ...suggestion, currency: s.currency },
      offers: (await this.repo.offersOfCase(caseId)).map(toOffer),
      options: (await this.repo.optionsOfCase(caseId)).map(toOptions),
    };
  }

  /**
   * Records an offer. Within the offerer's limit (less what she already gave on the case) and her team's
   * remaining budget it is given at once; otherwise it is stored as "approval requested" and the managers
   * are alerted. The case row is locked so two offers on one case are judged one after the other.
   */
  async offer(caseId: string, body: CreateOfferRequest, principal: Principal): Promise<GoodwillOffer> {
    const c = await this.repo.caseOf(caseId, true);
    if (!c) throw notFound('Case', caseId);
    if (c.status === 'cancelled') throw new GoodwillException(GoodwillExceptionCode.GOODWILL_INVALID_OFFER, 'The case was cancelled');
    const s = await this.settings();
    const kind = s.kinds.find((k) => k.key === body.kind);
    if (!kind) {
      throw new GoodwillException(GoodwillExceptionCode.GOODWILL_UNKNOWN_KIND, `"${body.kind}" is not one of this organization's kinds`, [
        { path: 'kind', message: `must be one of ${s.kinds.map((k) => k.key).join(', ')}` },
      ]);
    }
    const currency = body.currency ?? kind.currency;
    let valueMinor: number;
    if (kind.money) {
      if (body.valueMinor === undefined) {
        throw new GoodwillException(GoodwillExceptionCode.GOODWILL_INVALID_OFFER, 'A money offer needs its amount', [{ path: 'valueMinor', message: 'required for money' }]);
      }
      if (body.quantity !== undefined) {
        throw new GoodwillException(GoodwillExceptionCode.GOODWILL_INVALID_OFFER, 'A money offer has no quantity', [{ path: 'quantity', message: 'not allowed for money' }]);
      }
      valueMinor = body.valueMinor;
    } else {
      if (body.valueMinor !== undefined || (body.currency !== undefined && body.currency !== kind.currency)) {
        throw new GoodwillException(GoodwillExceptionCode.GOODWILL_INVALID_OFFER, `A ${kind.label} has a fixed value; give a quantity instead`, [
          { path: body.valueMinor !== undefined ? 'valueMinor' : 'currency', message: 'not allowed for this kind' },
        ]);
      }
      valueMinor = kind.valueMinor * (body.quantity ?? 1);
      if (valueMinor <= 0) throw new GoodwillException(GoodwillExceptionCode.GOODWILL_INVALID_OFFER, `${kind.label} has no value set`);
    }
    const now = this.clock.now();
    const offeredBy = userIdOf(principal);
    const team = c.team ?? (offeredBy ? await this.repo.teamOfUser(offeredBy) : null);
    const month = monthOf(now);
    const budget = team ? await this.repo.budgetForUpdate(team, month) : null;
    const budgetLeft = budget ? Number(budget.amount_minor) - (await this.repo.spentOfTeam(team as string, month, budget.currency)) : null;
    const given = await this.repo.givenOnCase(caseId, currency, offeredBy);
    const decision = decideOffer({
      valueMinor,
      limitLeftMinor: currency === s.currency ? this.limitOf(s, principal.role) - given : 0,
      budgetLeftMinor: budgetLeft,
      sameCurrency: currency === s.currency && (!budget || budget.currency === currency),
    });
    const miss = worstMiss({ satisfiedAt: c.satisfied_at, promisedAt: c.promised_at, requiredAt: c.required_at }, now);
    const id = await this.repo.insertOffer({
      caseId,
      kind: kind.key,
      money: kind.money,
      valueMinor,
      currency,
      team,
      reason: body.reason,
      gapTarget: miss?.target ?? null,
      gapMinutes: miss?.minutes ?? null,
      stressLevel: c.stress_level,
      offeredBy,
      offeredAt: now,
      state: decision.state,
      because: decision.state === 'approval_requested' ? decision.because : null,
    });
    await this.repo.appendEvent(id, decision.state, offeredBy, now);
    const offer = toOffer((await this.repo.offer(id))!);
    if (decision.state === 'approval_requested') {
      await this.alerts.raise({
        caseId,
        kind: 'goodwill_approval',
        key: `goodwill:${id}`,
        severity: 'high',
        message: `Goodwill of ${(valueMinor / 100).toFixed(2)} ${currency} (${kind.label}) waits for approval: ${decision.because.replace(/_/g, ' ')}`,
      });
    }
    return offer;
  }

  /**
   * Approves or denies a pending offer. Only a signed-in user other than the offerer, whose own limit covers
   * the whole offer, may approve; of two approving at once exactly one wins (conditional UPDATE).
   */
  async decide(offerId: string, approve: boolean, body: DecisionRequest, principal: Principal): Promise<GoodwillOffer> {
    const row = await this.repo.offer(offerId);
    if (!row) throw notFound('Goodwill offer', offerId);
    const approverId = userIdOf(principal);
    if (!approverId) throw new GoodwillException(GoodwillExceptionCode.GOODWILL_SELF_APPROVAL, 'Only a person may decide an offer, not an API key');
    const s = await this.settings();
    const refusal = approvalRefusal({
      approverId,
      offeredBy: row.offered_by,
      approverLimitMinor: row.currency === s.currency ? this.limitOf(s, principal.role) : -1,
      valueMinor: Number(row.value_minor),
    });
    // Denying needs no limit, but nobody decides their own offer either way.
    if (refusal === 'self_approval') throw new GoodwillException(GoodwillExceptionCode.GOODWILL_SELF_APPROVAL, 'Ask another person whose limit covers it');
    if (refusal === 'above_own_limit' && approve) {
      throw new GoodwillException(GoodwillExceptionCode.GOODWILL_ABOVE_OWN_LIMIT, `Your limit does not cover ${Number(row.value_minor) / 100} ${row.currency}`);
    }
    if (row.state !== 'approval_requested') throw new GoodwillException(GoodwillExceptionCode.GOODWILL_ALREADY_DECIDED, `The offer is ${row.state}`);
    const now = this.clock.now();
    if (!(await this.repo.decide(offerId, approve ? 'given' : 'denied', approverId, now))) {
      throw new GoodwillException(GoodwillExceptionCode.GOODWILL_ALREADY_DECIDED, 'Somebody else decided it first');
    }
    await this.repo.appendEvent(offerId, approve ? 'approved' : 'denied', approverId, now, body.note ?? null);
    return toOffer((await this.repo.offer(offerId))!);
  }

  async respond(offerId: string, body: CustomerResponseRequest, principal: Principal): Promise<GoodwillOffer> {
    const row = await this.repo.offer(offerId);
    if (!row) throw notFound('Goodwill offer', offerId);
    const now = this.clock.now();
    if (!(await this.repo.respond(offerId, body.response, now))) {
      throw new GoodwillException(
        GoodwillExceptionCode.GOODWILL_ALREADY_DECIDED,
        row.state === 'denied' ? 'A denied offer cannot be accepted or declined' : `The customer already ${row.customer_response}`,
      );
    }
    await this.repo.appendEvent(offerId, body.response, userIdOf(principal), now);
    return toOffer((await this.repo.offer(offerId))!);
  }

  appendOnly(): never {
    throw new GoodwillException(GoodwillExceptionCode.GOODWILL_APPEND_ONLY, 'Offers are append-only: record a new offer or a decision instead');
  }

  async pending(): Promise<OfferList> {
    return { items: (await this.repo.pendingOffers()).map(toOffer) };
  }

  async recordOptions(caseId: string, body: CaseOptionsRequest, principal: Principal): Promise<CaseOptionsRecord> {
    if (!(await this.repo.caseOf(caseId))) throw notFound('Case', caseId);
    return toOptions(
      await this.repo.insertOptions({
        caseId,
        offered: body.offered,
        chosen: body.chosen ?? null,
        note: body.note ?? null,
        by: userIdOf(principal),
        at: this.clock.now(),
      }),
    );
  }

  async analytics(): Promise<GoodwillAnalytics> {
    const s = await this.settings();
    const csat = await this.repo.csatByGoodwill();
    return {
      currency: s.currency,
      options: (await this.repo.optionStats()).map((r) => ({ option: r.option, offered: Number(r.offered), chosen: Number(r.chosen), closed: Number(r.closed), kept: Number(r.kept) })),
      byStress: (await this.repo.goodwillByStress(s.currency)).map((r) => ({ stressLevel: r.stress_level, offers: Number(r.offers), givenMinor: Number(r.given_minor) })),
      csat: csat.length
        ? { available: true, groups: CSAT_GROUPS.flatMap((g) => csat.filter((r) => r.grp === g).map((r) => ({ group: g, responses: Number(r.responses), average: r.average }))) }
        : { available: false, reason: 'No customer has answered the status page survey yet' },
    };
  }
}
