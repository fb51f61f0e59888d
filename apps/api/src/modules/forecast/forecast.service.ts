import { Inject, Injectable, Logger } from '@nestjs/common';
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
import { Calibrator, conditionalKeepProbability, expectation, ForecastModel, recommendHonestly, type Basis, type ExpectationSourceKind } from '@kept/forecast';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TenantContext } from '../../common/database/tenant-context';
import { AlertPlanner } from '../alerts';
import { Metrics } from '../metrics';
import { ForecastException, ForecastExceptionCode } from './forecast.exception';
import { ForecastRepository } from './forecast.repository';
import { LEVELS, levelValues, type BuiltModel, type ContractClock } from './model-build';
import { ModelCache } from './model-cache';
import { ForecastModelBuilder } from './model-builder';

/** A tenant's model is rebuilt in the background when older than this (new closes, new imports). */
export const MODEL_REFRESH_MS = 5 * 60_000;
/** After a failed build, requests start no new one for this long (a database outage must not spawn a worker per request). */
const BUILD_RETRY_MS = 30_000;

interface TenantModel extends BuiltModel {
  /** Share of each step (arrival, diagnosis, fix, test) in the sum of the tenant's expected step minutes. */
  stepShares: number[] | null;
  /** False for the stand-in answered from while the first model builds (no history, contracts only). */
  ready: boolean;
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
  /** Extra segment values (cases.segments), for the levels the tenant's model chose. */
  segments?: Record<string, string>;
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
 * pooled survival curves of case durations on each case's own clock) is built from the cases table in
 * a worker thread ({@link ForecastModelBuilder}), never on the request path: the first request of a
 * tenant starts the build and is answered at once without history (`modelStatus: 'building'`); later
 * requests use the cached model, rebuilt in the background every few minutes and after imports.
 * Answering a request is a segment look-up and a binary search, well under a millisecond.
 */
@Injectable()
export class ForecastService {
  private readonly logger = new Logger('ForecastService');
  /** The tenants' models, least recently used dropped first beyond the configured memory budget. */
  private readonly models: ModelCache<TenantModel>;
  private readonly building = new Map<string, Promise<TenantModel>>();
  /** Tenants whose history changed since their model's build began. */
  private readonly stale = new Set<string>();
  /** When each tenant's last build failed. */
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly repo: ForecastRepository,
    private readonly tenant: TenantContext,
    private readonly clock: Clock,
    private readonly planner: AlertPlanner,
    private readonly builder: ForecastModelBuilder,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.models = new ModelCache(config.forecastModelsMaxBytes);
  }

  /**
   * The tenant's history changed (an import, still inside its transaction): the next request (or
   * {@link ready}) starts a rebuild that sees the change; the current model is served meanwhile.
   */
  invalidate(tenantId: string): void {
    this.stale.add(tenantId);
  }

  /**
   * Resolves when the tenant has a model that includes every change made before this call: at once when
   * one is cached and no rebuild is pending, else when the pending (or a newly started) build lands.
   * For tests, tools and warm-up; requests never wait for it.
   */
  async ready(tenantId: string): Promise<void> {
    if (this.stale.has(tenantId) || !this.models.has(tenantId)) await this.startBuild(tenantId);
    else await this.building.get(tenantId);
  }

  /**
   * Starts a build unless one is running; when the tenant is stale, also when one is running (after it,
   * so that it sees the changes made since it began). The built model replaces the cached one when it lands.
   */
  private startBuild(tenantId: string): Promise<TenantModel> {
    const running = this.building.get(tenantId);
    const fresh = this.stale.delete(tenantId);
    if (running && !fresh) return running;
    const job: Promise<TenantModel> = (running ? running.then(noop, noop) : Promise.resolve())
      .then(() => this.buildNow(tenantId))
      .finally(() => {
        if (this.building.get(tenantId) === job) this.building.delete(tenantId);
      });
    this.building.set(tenantId, job);
    job.then(
      () => this.failedAt.delete(tenantId),
      (err: unknown) => {
        this.failedAt.set(tenantId, Date.now());
        this.logger.warn({ err, tenantId }, 'forecast model build failed; serving the previous one if any');
      },
    );
    return job;
  }

  private async buildNow(tenantId: string): Promise<TenantModel> {
    const built = await this.metrics.timeForecastBuild(() => this.builder.build(tenantId, this.clock.now()));
    const stepShares = await this.tenant.run(tenantId, () => this.stepShares());
    const t: TenantModel = { ...built, stepShares, ready: true };
    const dropped = this.models.set(tenantId, t, built.model.approximateBytes());
    // A dropped tenant is answered as while its first model builds, and rebuilt when next asked for.
    if (dropped.length) this.logger.log({ dropped, keptMiB: Math.round(this.models.bytes / 1048576) }, 'forecast models dropped to stay within FORECAST_MODELS_MAX_MB');
    return t;
  }

  /** The step shares come from the one reader of step history (the alert planner's), over every category. */
  private async stepShares(): Promise<number[] | null> {
    const steps = (await this.planner.expectedStepMinutes([null])).get(null) ?? {};
    const medians = PROMISE_STEPS.map((step) => steps[step]);
    if (!medians.every((m): m is number => m !== undefined)) return null;
    const sum = medians.reduce((a, b) => a + b, 0);
    return sum > 0 ? medians.map((m) => m / sum) : null;
  }

  /**
   * The tenant's cached model, never waiting: a build starts in the background when there is none or it
   * is older than {@link MODEL_REFRESH_MS}; until the first one lands, a stand-in without history.
   */
  private async modelFor(tenantId: string): Promise<TenantModel> {
    const cached = this.models.get(tenantId);
    const due = !cached || this.stale.has(tenantId) || this.clock.now().getTime() - cached.builtAt.getTime() > MODEL_REFRESH_MS;
    const failed = this.failedAt.get(tenantId);
    if (due && (failed === undefined || Date.now() - failed > BUILD_RETRY_MS)) this.startBuild(tenantId).catch(noop);
    if (cached) return cached;
    return {
      model: new ForecastModel(LEVELS),
      calibrator: new Calibrator(),
      categoryCalibrators: new Map(),
      levels: LEVELS,
      builtAt: this.clock.now(),
      cases: 0,
      // Filled on demand, one contract at a time (clockFor): a big tenant has thousands.
      contracts: new Map(),
      stepShares: null,
      ready: false,
    };
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
    if (contractId && !contract) {
      // A contract created after the model was built (or none built yet): read it and keep it.
      const fresh = await this.repo.contracts(this.tenant.tenantId, [contractId]);
      const found = fresh.get(contractId);
      if (!found && req.contractId) throw new ForecastException(ForecastExceptionCode.FORECAST_REFERENCE_NOT_FOUND, `contract ${req.contractId} does not exist`, [{ path: 'contractId', message: 'not found' }]);
      if (found) t.contracts.set(found.id, found);
      contract = found ?? null;
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
      reason: b.reason ?? null,
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
    const values = levelValues(t.levels, { category: req.category, priority: req.priority, region: req.region ?? clock.region ?? undefined, segments: req.segments });
    const minutesTo = (at: Date) => businessTimeBetween(openedAt, at, clock.calendar);

    let recommended: RecommendationResponse['recommended'] = null;
    let basis: ForecastBasis | null = null;
    // Calibrated per value of the model's first level (category with the built-in levels).
    const calibrator = (values[0] !== undefined ? t.categoryCalibrators.get(values[0]) : undefined) ?? t.calibrator;
    if (t.model.hasData()) {
      const level = calibrator.levelFor(target);
      // Where cases of this segment often never close, the longest promise that can be stood behind, with why.
      const rec = recommendHonestly(t.model, t.model.pathOf(values), level);
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
      modelStatus: t.ready ? 'ready' : 'building',
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
    // While the first model builds there is no evidence: every case reads null, as without history.
    if (!t.model.hasData()) return result;
    const missing = [...new Set(open.flatMap((c) => (c.contractId && !t.contracts.has(c.contractId) ? [c.contractId] : [])))];
    if (missing.length) for (const [id, contract] of await this.repo.contracts(this.tenant.tenantId, missing)) t.contracts.set(id, contract);
    const sites = await this.repo.sites([...new Set(open.flatMap((c) => (c.siteId ? [c.siteId] : [])))]);
    for (const c of open) {
      const promisedAt = c.promisedAt as Date;
      const site = c.siteId ? sites.get(c.siteId) : undefined;
      const { calendar } = caseClock({ contractCalendar: c.contractId ? t.contracts.get(c.contractId)?.calendar : null, siteZone: site?.timeZone });
      const values = levelValues(t.levels, { category: c.category, priority: c.priority, region: site?.region ?? undefined, segments: c.segments });
      const calibrator = (values[0] !== undefined ? t.categoryCalibrators.get(values[0]) : undefined) ?? t.calibrator;
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
    const values = levelValues(t.levels, { category: req.category, priority: req.priority, region: req.region ?? clock.region ?? undefined });
    return this.expectationFor(t, values, req.customerId, clock, openedAt, req.otherSources.map((o) => ({ source: o.source, at: new Date(o.expectedAt) })));
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const noop = () => undefined;
