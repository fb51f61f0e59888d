import { Injectable, Logger } from '@nestjs/common';
import type {
  AnalyticsQuery,
  AnalyticsSummaryResponse,
  BoardItemResponse,
  BoardQuery,
  BoardResponse,
  BreakdownRow,
  CalibrationBin,
  EngineerAvailabilityResponse,
  HistogramBucket,
} from '@kept/contracts';
import { assessRisk, businessTimeBetween, remainingWork } from '@kept/domain';
import { Clock } from '../../common/clock';
import { AlertPlanner } from '../alerts';
import { calendarOf, toCaseSummary, toDomainPauses } from '../cases';
import type { CaseEntity } from '../cases';
import { CaseRepository } from '../cases';
import { ForecastService } from '../forecast';
import { AnalyticsRepository, BreakdownSqlRow, CALIBRATION_EDGES, CalibrationSqlRow, HISTOGRAM_EDGES_HOURS, SummarySqlRow } from './analytics.repository';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 90;
/** Sort key for cases with neither a promise nor a need: after every timed case. */
const UNTIMED = 1e9;

const round = (n: number) => Math.round(n);
const rate = (kept: number, missed: number) => (kept + missed > 0 ? kept / (kept + missed) : null);

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly cases: CaseRepository,
    private readonly clock: Clock,
    private readonly forecast: ForecastService,
    private readonly planner: AlertPlanner,
  ) {}

  private readonly logger = new Logger('AnalyticsService');

  /** The forecast is an extra: the board never fails because of it (every case then reads null). */
  private async keepProbabilities(entities: CaseEntity[], now: Date): Promise<Map<string, number | null>> {
    try {
      return await this.forecast.keepProbabilities(entities, now);
    } catch (err) {
      this.logger.warn({ err }, 'keep-probabilities unavailable; the board shows none');
      return new Map();
    }
  }

  async board(query: BoardQuery): Promise<BoardResponse> {
    const now = this.clock.now();
    const entities = await this.analytics.boardCases(query);
    const bundle = await this.cases.bundle(entities);
    const facets = await this.analytics.boardFacets();
    const engineerRows = await this.analytics.engineers();
    const engineers = engineerRows.map((e) => ({ id: e.id, name: e.name, team: e.team ?? null }));
    // Teams of active engineers and of open cases (a case's team may be set apart from its assignee's).
    const teams = [...new Set([...engineerRows.map((e) => e.team), ...facets.teams].filter((t): t is string => Boolean(t)))].sort((x, y) =>
      x.localeCompare(y),
    );

    // One forecast pass for every case, and the remaining work from three batched reads.
    const ids = entities.map((c) => c.id);
    const keep = await this.keepProbabilities(entities, now);
    const reached = await this.analytics.milestonesReached(ids);
    const breakdowns = await this.analytics.currentBreakdowns(ids);
    const expected = await this.planner.expectedStepMinutes([...new Set(entities.map((c) => c.category))]);

    let items: BoardItemResponse[] = entities.map((c) => {
      const { calendar } = calendarOf(c, bundle);
      const pauses = toDomainPauses(bundle.pauses.get(c.id));
      // A paused case's clock stands still: its time left is frozen at the moment the pause began.
      const openPause = c.status === 'paused' ? pauses.find((p) => p.to === null) : undefined;
      const from = openPause ? openPause.from : now;
      const closedPauses = pauses.filter((p) => p.to !== null);
      const toPromise = c.promisedAt ? businessTimeBetween(from, c.promisedAt, calendar, closedPauses) : null;
      const toNeed = c.requiredAt ? businessTimeBetween(from, c.requiredAt, calendar, closedPauses) : null;
      const window = c.promisedAt ? businessTimeBetween(c.openedAt, c.promisedAt, calendar, pauses) : null;
      const used = window !== null && window > 0 && toPromise !== null ? (window - toPromise) / window : null;
      const summary = toCaseSummary(c, bundle, now);
      const remaining = remainingWork(reached.get(c.id) ?? [], expected.get(c.category) ?? {}, breakdowns.get(c.id) ?? null, c.status);
      const risk = assessRisk({
        status: c.status,
        promisedAt: c.promisedAt,
        requiredAt: c.requiredAt,
        from,
        businessMinutesToPromise: toPromise,
        businessMinutesToNeed: toNeed,
        remaining,
      });
      const awaitingCustomer = c.status === 'fixed';
      const soonest = Math.min(toPromise ?? UNTIMED, toNeed ?? UNTIMED);
      // Fixed cases only wait for the customer's confirmation: they rank below open work with the same slack.
      const riskScore = soonest - (c.stressLevel ?? 0) * 5 + (awaitingCustomer ? 600 : 0);
      const p = keep.get(c.id) ?? null;
      return {
        ...summary,
        businessMinutesToPromise: toPromise === null ? null : round(toPromise),
        businessMinutesToNeed: toNeed === null ? null : round(toNeed),
        promiseWindowUsed: used === null ? null : Math.round(used * 1000) / 1000,
        keepProbability: p === null ? null : Math.round(p * 100) / 100,
        atRisk: risk.atRisk,
        riskReasons: risk.reasons,
        riskScore: round(riskScore),
      };
    });
    if (query.atRisk === 'true') items = items.filter((i) => i.atRisk);
    if (query.atRisk === 'false') items = items.filter((i) => !i.atRisk);
    items.sort((x, y) => x.riskScore - y.riskScore || x.openedAt.localeCompare(y.openedAt));
    return { now: now.toISOString(), items, facets: { ...facets, engineers, teams } };
  }

  async engineers(): Promise<EngineerAvailabilityResponse[]> {
    return (await this.analytics.engineers()).map((e) => ({
      id: e.id,
      name: e.name,
      team: e.team ?? null,
      openCases: e.open_cases,
      nextPromiseAt: e.next_promise_at ? new Date(e.next_promise_at).toISOString() : null,
    }));
  }

  async summary(query: AnalyticsQuery): Promise<AnalyticsSummaryResponse> {
    const now = this.clock.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
    const rows = await this.analytics.summaryRows(query, from, to);
    const calibration = await this.analytics.calibration(query, from, to, now);
    const open = await this.analytics.openCount();
    const targetKeepRate = await this.analytics.targetKeepRate();
    const part = (set: SummarySqlRow['set']) => rows.filter((r) => r.set === set);
    const totals = part('total')[0] ?? { closed: 0, kept: 0, missed: 0, need_met: 0, need_missed: 0 };
    // A histogram counts only cases with both times (the bucket is null otherwise); a week only with a promise.
    const buckets = (set: 'late' | 'margin') => part(set).flatMap((r) => (r.bucket === null ? [] : [{ bucket: r.bucket, count: r.closed }]));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      targetKeepRate,
      totals: {
        closed: totals.closed,
        kept: totals.kept,
        missed: totals.missed,
        keepRate: rate(totals.kept, totals.missed),
        needMet: totals.need_met,
        needMissed: totals.need_missed,
        open,
      },
      keepRateByWeek: part('week')
        .filter((w) => w.promised > 0)
        .map((w) => ({ period: w.key as string, kept: w.kept, missed: w.missed, keepRate: rate(w.kept, w.missed) })),
      satisfiedMinusPromised: toBuckets(buckets('late')),
      promisedMinusRequired: toBuckets(buckets('margin')),
      byCategory: part('category').map(toBreakdown),
      byCustomer: part('customer').map(toBreakdown),
      byEngineer: part('engineer').map(toBreakdown),
      byTeam: part('team').map(toBreakdown),
      calibration: toCalibration(calibration),
    };
  }
}

/** Every bucket of the fixed edges, empty ones included, so charts keep their x axis. */
export function toBuckets(rows: { bucket: number; count: number }[]): HistogramBucket[] {
  const edges = HISTOGRAM_EDGES_HOURS;
  const counts = new Map(rows.map((r) => [Number(r.bucket), r.count]));
  return Array.from({ length: edges.length + 1 }, (_, i) => ({
    fromHours: i === 0 ? -Infinity : edges[i - 1],
    toHours: i === edges.length ? Infinity : edges[i],
    count: counts.get(i) ?? 0,
  })).map((b) => ({
    // JSON has no infinities: open-ended buckets are reported with a bound twice as far out.
    fromHours: Number.isFinite(b.fromHours) ? b.fromHours : edges[0] * 2,
    toHours: Number.isFinite(b.toHours) ? b.toHours : edges[edges.length - 1] * 2,
    count: b.count,
  }));
}

/** Every calibration bin when any promise is decided (empty ones with zero counts), else none. */
export function toCalibration(rows: CalibrationSqlRow[]): CalibrationBin[] {
  if (rows.every((r) => r.promises === 0)) return [];
  const bounds = [0, ...CALIBRATION_EDGES, 1];
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  return bounds.slice(0, -1).map((lower, i) => {
    const r = byBucket.get(i);
    return {
      from: lower,
      to: bounds[i + 1],
      promises: r?.promises ?? 0,
      kept: r?.kept ?? 0,
      observed: r && r.promises > 0 ? Math.round((r.kept / r.promises) * 1000) / 1000 : null,
      predicted: r && r.promises > 0 ? Math.round(r.predicted * 1000) / 1000 : null,
    };
  });
}

function toBreakdown(r: BreakdownSqlRow): BreakdownRow {
  return {
    key: r.key ?? 'unknown',
    label: r.label ?? 'Unknown',
    closed: r.closed,
    kept: r.kept,
    missed: r.missed,
    keepRate: rate(r.kept, r.missed),
    medianLateHours: r.median_late_hours === null ? null : Math.round(Number(r.median_late_hours) * 10) / 10,
    needMet: r.need_met,
    needMissed: r.need_missed,
  };
}
