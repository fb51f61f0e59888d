import { Injectable, Logger } from '@nestjs/common';
import type {
  ExpectationRequest,
  ExpectationResponse,
  ForecastBasis,
  PromiseStepFigure,
  RecommendationOption,
  RecommendationRequest,
  RecommendationResponse,
} from '@kept/contracts';
import { PROMISE_STEPS } from '@kept/contracts';
import { addBusinessTime, businessTimeBetween, caseClock, splitByShares, VISIT_STEPS, type BusinessCalendar } from '@kept/domain';
import {
  CALIBRATION_TARGETS,
  Calibrator,
  CaseTable,
  conditionalKeepProbability,
  evaluate,
  expectation,
  ForecastModel,
  type Basis,
  type ExpectationSourceKind,
} from '@kept/forecast';
import { Clock } from '../../common/clock';
import { TenantContext } from '../../common/database/tenant-context';
import { AlertPlanner } from '../alerts';
import { ForecastException, ForecastExceptionCode } from './forecast.exception';
import { ForecastRepository, type ContractClock } from './forecast.repository';

const LEVELS = ['category', 'priority', 'region'];
/** A tenant's model is rebuilt in the background when older than this (new closes, new imports). */
export const MODEL_REFRESH_MS = 5 * 60_000;
/** The most recent cases replayed to calibrate the quantile level (adaptive conformal inference). */
const CALIBRATION_CASES = 20_000;
/** Fewest decided outcomes before a replayed calibration level replaces the target itself. */
const MIN_CALIBRATION_OUTCOMES = 50;

interface TenantModel {
  model: ForecastModel;
  /** Calibration for categories without enough outcomes of their own. */
  calibrator: Calibrator;
  /** Per-category calibration (Mondrian conformal), for categories with enough replayed outcomes. */
  categoryCalibrators: Map<string, Calibrator>;
  builtAt: Date;
  cases: number;
  contracts: Map<string, ContractClock>;
  /** Share of each step (arrival, diagnosis, fix, test) in the sum of the tenant's expected step minutes. */
  stepShares: number[] | null;
}

/** An open case as the batched keep-probability needs it (a CaseEntity fits). */
export interface OpenCaseInput {
  id: string;
  siteId: string | null;
  contractId: string | null;
  category: string;
  priority: string;
  status: string;
  openedAt: Date;
  promisedAt: Date | null;
}

interface CaseClock {
  calendar: BusinessCalendar;
  clock: 'business' | 'wall';
  contract: ContractClock | null;
}

const OPTIONS: RecommendationOption[] = [
  { kind: 'loaner', title: 'Lend a replacement', detail: 'Bridge the gap with a loaner or spare unit until the repair is done.' },
  { kind: 'remote_fix', title: 'Try a remote fix first', detail: 'A remote session or phone diagnosis may restore service before an engineer can arrive.' },
  { kind: 'other_branch', title: 'Ask another branch', detail: 'A nearer or less busy branch may reach the site sooner.' },
  { kind: 'partial_fix', title: 'Offer a partial fix', detail: 'Restore the part of the service she needs by her deadline, and finish the rest later.' },
];

/**
 * Recommendation and expectation engine of a tenant. The model (recency-weighted, censored,
 * pooled survival curves of case durations on each case's own clock) is built from the cases table
 * once, cached in memory and rebuilt in the background every few minutes; answering a request is a
 * segment look-up and a binary search, well under a millisecond.
 */
@Injectable()
export class ForecastService {
  private readonly logger = new Logger('ForecastService');
  private readonly models = new Map<string, TenantModel>();
  private readonly building = new Map<string, Promise<void>>();

  constructor(
    private readonly repo: ForecastRepository,
    private readonly tenant: TenantContext,
    private readonly clock: Clock,
    private readonly planner: AlertPlanner,
  ) {}

  /** Forget a tenant's model (after an import): the next request rebuilds it. */
  invalidate(tenantId: string): void {
    this.models.delete(tenantId);
  }

  private async modelFor(tenantId: string): Promise<TenantModel> {
    const cached = this.models.get(tenantId);
    if (cached) {
      if (this.clock.now().getTime() - cached.builtAt.getTime() > MODEL_REFRESH_MS && !this.building.has(tenantId)) {
        const job = this.tenant
          .run(tenantId, () => this.build(tenantId))
          .then((m) => void this.models.set(tenantId, m))
          .catch((err: unknown) => this.logger.warn({ err, tenantId }, 'forecast model refresh failed; serving the previous one'))
          .finally(() => this.building.delete(tenantId));
        this.building.set(tenantId, job);
      }
      return cached;
    }
    const built = await this.build(tenantId);
    this.models.set(tenantId, built);
    return built;
  }

  private async build(tenantId: string): Promise<TenantModel> {
    const now = this.clock.now();
    const nowMs = now.getTime();
    const [target, contracts, total] = await Promise.all([this.repo.targetKeepRate(tenantId), this.repo.contracts(tenantId), this.repo.countCases(tenantId)]);
    const model = new ForecastModel(LEVELS, { referenceTarget: target });
    const table = new CaseTable(LEVELS);
    let index = 0;
    let cases = 0;
    await this.repo.forEachCase(tenantId, (c) => {
      const i = index++;
      if (c.cancelled || c.openedAt > nowMs) return;
      cases++;
      const contract = c.contractId ? contracts.get(c.contractId) : undefined;
      const opened = new Date(c.openedAt);
      const length = (end: number) => Math.max(0, contract ? businessTimeBetween(opened, new Date(end), contract.calendar) * 60_000 : end - c.openedAt);
      const path = model.pathOf([c.category, c.priority, c.region], c.customerId);
      const done = c.doneAt !== undefined && c.doneAt <= nowMs ? c.doneAt : undefined;
      if (done !== undefined) model.addClosed(path, c.openedAt, length(done));
      else model.addOpen(path, c.openedAt, length(nowMs));
      if (i >= total - 2 * CALIBRATION_CASES) {
        table.push({ createdAt: c.openedAt, doneAt: done, values: [c.category, c.priority, c.region], score: i >= total - CALIBRATION_CASES });
      }
    });
    model.estimatePriorStrengths();
    const targets = [...new Set([...CALIBRATION_TARGETS, target])];
    const calibrator = new Calibrator(targets);
    const categoryCalibrators = new Map<string, Calibrator>();
    if (table.n > 2 * MIN_CALIBRATION_OUTCOMES) {
      // Conformal correction: replay the recent cases in time order with one adaptive level per category
      // and target. Categories with enough outcomes keep the levels they ended on; the others use the
      // mean level over the later half of the replay.
      const replay = evaluate(table, { target, targets });
      for (const row of replay.calibration) if (row.decided >= MIN_CALIBRATION_OUTCOMES) calibrator.setLevel(row.target, row.meanLevel);
      for (const c of replay.categoryLevels) {
        if (c.outcomes < MIN_CALIBRATION_OUTCOMES) continue;
        const cal = new Calibrator(targets);
        replay.calibration.forEach((row, k) => cal.setLevel(row.target, c.levels[k]));
        categoryCalibrators.set(c.category, cal);
      }
    }
    // The step shares come from the one reader of step history (the alert planner's), over every category.
    const steps = (await this.planner.expectedStepMinutes([null])).get(null) ?? {};
    let stepShares: number[] | null = null;
    const medians = PROMISE_STEPS.map((step) => steps[step]);
    if (medians.every((m): m is number => m !== undefined)) {
      const sum = medians.reduce((a, b) => a + b, 0);
      if (sum > 0) stepShares = medians.map((m) => m / sum);
    }
    return { model, calibrator, categoryCalibrators, builtAt: now, cases, contracts, stepShares };
  }

  /** The clock of a new case ({@link caseClock}): its contract's calendar, else 24/7 in the site's zone, else 24/7 UTC. */
  private async clockFor(t: TenantModel, req: { customerId?: string; siteId?: string; contractId?: string }, openedAt: Date): Promise<CaseClock & { region: string | null }> {
    if (req.customerId && !(await this.repo.customerExists(req.customerId))) {
      throw new ForecastException(ForecastExceptionCode.FORECAST_REFERENCE_NOT_FOUND, `customer ${req.customerId} does not exist`, [{ path: 'customerId', message: 'not found' }]);
    }
    const site = req.siteId ? await this.repo.site(req.siteId) : null;
    if (req.siteId && !site) throw new ForecastException(ForecastExceptionCode.FORECAST_REFERENCE_NOT_FOUND, `site ${req.siteId} does not exist`, [{ path: 'siteId', message: 'not found' }]);
    let contractId = req.contractId ?? null;
    if (!contractId && req.customerId) contractId = await this.repo.contractOf(req.customerId, openedAt);
    let contract = contractId ? (t.contracts.get(contractId) ?? null) : null;
    if (req.contractId && !contract) {
      // A contract created after the model was built: rebuild the contracts index once.
      const fresh = await this.repo.contracts(this.tenant.tenantId);
      const found = fresh.get(req.contractId);
      if (!found) throw new ForecastException(ForecastExceptionCode.FORECAST_REFERENCE_NOT_FOUND, `contract ${req.contractId} does not exist`, [{ path: 'contractId', message: 'not found' }]);
      t.contracts.set(found.id, found);
      contract = found;
    }
    // Which contract applies is the forecast's question (a new case takes the customer's current one);
    // which clock that means is the domain's one rule.
    const clock = caseClock({ contractCalendar: contract?.calendar, siteZone: site?.timeZone });
    return { calendar: clock.calendar, clock: clock.basis, contract, region: site?.region ?? null };
  }

  private basis(t: TenantModel, b: Basis, clock: 'business' | 'wall', level: number): ForecastBasis {
    const segment: Record<string, string> = {};
    b.levels.forEach((name, i) => {
      if (b.segment[i]) segment[name] = b.segment[i];
    });
    return {
      segment,
      n: b.n,
      effectiveN: b.effectiveN,
      priorStrength: b.priorStrength,
      halfLifeDays: b.halfLifeDays,
      extrapolated: b.extrapolated,
      clock,
      calibratedLevel: Math.round(level * 10_000) / 10_000,
      modelCases: t.cases,
      modelBuiltAt: t.builtAt.toISOString(),
    };
  }

  private expectationFor(t: TenantModel, values: (string | undefined)[], customerId: string | undefined, clock: CaseClock, openedAt: Date, others: { source: ExpectationSourceKind; at: Date }[] = []): ExpectationResponse {
    const at = (ms: number) => addBusinessTime(openedAt, ms / 60_000, clock.calendar).toISOString();
    let contractPromiseMs: number | undefined;
    if (clock.contract) {
      const c = clock.contract;
      // The contract's promise runs on its own basis; express it on the case's clock.
      const due = c.promiseBasis === 'wall' ? new Date(openedAt.getTime() + c.promiseMinutes * 60_000) : addBusinessTime(openedAt, c.promiseMinutes, c.calendar);
      contractPromiseMs = businessTimeBetween(openedAt, due, clock.calendar) * 60_000;
    }
    const otherSources = others.map((o) => ({ source: o.source, durationMs: Math.max(0, businessTimeBetween(openedAt, o.at, clock.calendar) * 60_000) }));
    const e = expectation(t.model, { values, customer: customerId, contractPromiseMs, otherSources });
    return {
      expectedAt: e.expectedMs === null ? null : at(e.expectedMs),
      dominatingSource: e.dominatingSource,
      n: e.n,
      effectiveN: e.effectiveN,
      sources: e.sources.map((s) => ({ source: s.source, expectedAt: at(s.durationMs), weight: Math.round(s.weight * 1000) / 1000, n: s.n })),
    };
  }

  async recommend(req: RecommendationRequest): Promise<RecommendationResponse> {
    const tenantId = this.tenant.tenantId;
    const t = await this.modelFor(tenantId);
    const openedAt = req.openedAt ? new Date(req.openedAt) : this.clock.now();
    if (req.promisedAt && new Date(req.promisedAt) < openedAt) {
      throw new ForecastException(ForecastExceptionCode.FORECAST_INVALID_TIMES, 'promisedAt is before openedAt', [{ path: 'promisedAt', message: 'must not be before openedAt' }]);
    }
    if (req.requiredAt && new Date(req.requiredAt) < openedAt) {
      throw new ForecastException(ForecastExceptionCode.FORECAST_INVALID_TIMES, 'requiredAt is before openedAt', [{ path: 'requiredAt', message: 'must not be before openedAt' }]);
    }
    const clock = await this.clockFor(t, req, openedAt);
    const target = req.target ?? (await this.repo.targetKeepRate(tenantId));
    const values = [req.category, req.priority, req.region ?? clock.region ?? undefined];
    const minutesTo = (at: Date) => businessTimeBetween(openedAt, at, clock.calendar);

    let recommended: RecommendationResponse['recommended'] = null;
    let basis: ForecastBasis | null = null;
    const calibrator = t.categoryCalibrators.get(req.category) ?? t.calibrator;
    if (t.model.hasData()) {
      const level = calibrator.levelFor(target);
      const rec = t.model.recommend(values, level);
      const promisedAt = addBusinessTime(openedAt, rec.promiseMs / 60_000, clock.calendar);
      recommended = { promisedAt: promisedAt.toISOString(), durationMinutes: Math.round(rec.promiseMs / 60_000), keepProbability: round(calibrator.calibrate(rec.keepProbability)) };
      basis = this.basis(t, rec.basis, clock.clock, level);
    }
    let typed: RecommendationResponse['typed'] = null;
    if (req.promisedAt) {
      const at = new Date(req.promisedAt);
      const minutes = minutesTo(at);
      const p = t.model.hasData() ? calibrator.calibrate(t.model.keepProbability(values, minutes * 60_000).keepProbability) : 0;
      typed = { promisedAt: at.toISOString(), durationMinutes: Math.round(minutes), keepProbability: round(p) };
    }
    let breakdown: PromiseStepFigure[] = [];
    if (recommended && t.stepShares) {
      // Whole minutes that add up to the promise exactly (the domain's one rule for splitting a total).
      const split = splitByShares(recommended.durationMinutes, t.stepShares);
      breakdown = VISIT_STEPS.map((s) => ({ step: s.step, minutes: split[s.breakdownKey], source: 'history' as const }));
    }
    let warning: RecommendationResponse['warning'] = null;
    if (req.requiredAt) {
      const required = new Date(req.requiredAt);
      const candidate = typed ? new Date(typed.promisedAt) : recommended ? new Date(recommended.promisedAt) : null;
      if (candidate && candidate > required) {
        const late = Math.round((candidate.getTime() - required.getTime()) / 60_000);
        warning = { code: 'PROMISE_AFTER_REQUIRED', message: `The ${typed ? 'typed' : 'recommended'} promise lands ${late} minutes after what the customer needs.`, lateByMinutes: late };
      }
    }
    return {
      openedAt: openedAt.toISOString(),
      target,
      recommended,
      typed,
      breakdown,
      basis,
      expectation: this.expectationFor(t, values, req.customerId, clock, openedAt),
      warning,
      options: warning ? OPTIONS : [],
    };
  }

  /**
   * The keep-probability of each open case's current promise, given the case is still open at `now`
   * ({@link conditionalKeepProbability}), in one pass: the tenant's model is loaded once, the sites of
   * all the cases are read in one query and the contracts come from the model's index (re-read once,
   * in one query, when a case's contract is newer than the model); each case's clock is the domain's
   * {@link caseClock}, as for its gaps.
   *
   * @returns an entry per case: null without a promise, for a fixed case (it waits only for the
   *   customer), when the model has no data or nothing to condition on; 0 once the promise has passed.
   *   Unrounded.
   */
  async keepProbabilities(cases: OpenCaseInput[], now: Date): Promise<Map<string, number | null>> {
    const result = new Map<string, number | null>(cases.map((c) => [c.id, null]));
    const open = cases.filter((c) => c.promisedAt && c.status !== 'fixed');
    if (open.length === 0) return result;
    const t = await this.modelFor(this.tenant.tenantId);
    if (!t.model.hasData()) return result;
    if (open.some((c) => c.contractId && !t.contracts.has(c.contractId))) {
      for (const [id, contract] of await this.repo.contracts(this.tenant.tenantId)) t.contracts.set(id, contract);
    }
    const sites = await this.repo.sites([...new Set(open.flatMap((c) => (c.siteId ? [c.siteId] : [])))]);
    for (const c of open) {
      const promisedAt = c.promisedAt as Date;
      const site = c.siteId ? sites.get(c.siteId) : undefined;
      const { calendar } = caseClock({ contractCalendar: c.contractId ? t.contracts.get(c.contractId)?.calendar : null, siteZone: site?.timeZone });
      const values = [c.category, c.priority, site?.region ?? undefined];
      const calibrator = t.categoryCalibrators.get(c.category) ?? t.calibrator;
      const f = (at: Date) => {
        const minutes = Math.max(0, businessTimeBetween(c.openedAt, at, calendar));
        return calibrator.calibrate(t.model.keepProbability(values, minutes * 60_000).keepProbability);
      };
      const passed = promisedAt.getTime() <= now.getTime();
      result.set(c.id, passed ? 0 : conditionalKeepProbability(f(promisedAt), now > c.openedAt ? f(now) : 0, false));
    }
    return result;
  }

  async expectation(req: ExpectationRequest): Promise<ExpectationResponse> {
    const t = await this.modelFor(this.tenant.tenantId);
    const openedAt = req.openedAt ? new Date(req.openedAt) : this.clock.now();
    const clock = await this.clockFor(t, req, openedAt);
    const values = [req.category, req.priority, req.region ?? clock.region ?? undefined];
    return this.expectationFor(t, values, req.customerId, clock, openedAt, req.otherSources.map((o) => ({ source: o.source, at: new Date(o.expectedAt) })));
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
