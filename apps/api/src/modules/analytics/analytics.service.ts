import { Injectable } from '@nestjs/common';
import type {
  AnalyticsQuery,
  AnalyticsSummaryResponse,
  BreakdownRow,
  CalibrationBin,
  HistogramBucket,
  StressAnalyticsResponse,
  StressLevelRow,
} from '@kept/contracts';
import { wilsonInterval } from '@kept/forecast';
import { Clock } from '../../common/clock';
import { AnalyticsRepository, BreakdownSqlRow, CALIBRATION_EDGES, CalibrationSqlRow, HISTOGRAM_EDGES_HOURS, StressSqlRow, SummarySqlRow } from './analytics.repository';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 90;
const rate = (kept: number, missed: number) => (kept + missed > 0 ? kept / (kept + missed) : null);

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly clock: Clock,
  ) {}

  /** Keep-rate, gaps and CSAT by the customer's stress level, over the cases satisfied in the range. */
  async byStress(query: AnalyticsQuery): Promise<StressAnalyticsResponse> {
    const { from, to } = this.range(query);
    const rows = await this.analytics.byStress(query, from, to);
    return { from: from.toISOString(), to: to.toISOString(), levels: toStressLevels(rows) };
  }

  private range(query: AnalyticsQuery): { from: Date; to: Date } {
    const to = query.to ? new Date(query.to) : this.clock.now();
    return { from: query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS), to };
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

const toInterval = (i: { low: number; high: number } | null) =>
  i && { low: Math.round(i.low * 1000) / 1000, high: Math.round(i.high * 1000) / 1000 };

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
      interval: toInterval(wilsonInterval(r?.kept ?? 0, r?.promises ?? 0)),
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

const round1 = (x: number | string | null) => (x === null ? null : Math.round(Number(x) * 10) / 10);

/** Levels 1…5 always (so the chart keeps its axis), then the unknown level when there is one. */
export function toStressLevels(rows: StressSqlRow[]): StressLevelRow[] {
  const byLevel = new Map(rows.map((r) => [r.stress === null ? null : Number(r.stress), r]));
  const levels: (number | null)[] = [1, 2, 3, 4, 5];
  if (byLevel.has(null)) levels.push(null);
  return levels.map((stress) => {
    const r = byLevel.get(stress);
    const counts = (r?.csat_counts ?? [0, 0, 0, 0, 0]).map(Number);
    return {
      stress,
      closed: r?.closed ?? 0,
      kept: r?.kept ?? 0,
      missed: r?.missed ?? 0,
      keepRate: rate(r?.kept ?? 0, r?.missed ?? 0),
      needMet: r?.need_met ?? 0,
      needMissed: r?.need_missed ?? 0,
      medianLateHours: round1(r?.median_late_hours ?? null),
      medianPromisedMinusRequiredHours: round1(r?.median_margin_hours ?? null),
      medianSatisfiedMinusRequiredHours: round1(r?.median_need_hours ?? null),
      surveys: r?.surveys ?? 0,
      meanCsat: r?.mean_csat === null || r?.mean_csat === undefined ? null : Math.round(Number(r.mean_csat) * 100) / 100,
      csatCounts: [counts[0], counts[1], counts[2], counts[3], counts[4]],
    };
  });
}
