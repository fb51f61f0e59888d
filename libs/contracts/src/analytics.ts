import { z } from 'zod';
import { instantSchema } from './common';

export const analyticsQuerySchema = z
  .object({
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    category: z.string().max(100).optional(),
    customerId: z.uuid().optional(),
  })
  .strict();
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

export interface KeepRatePoint {
  /** Start of the ISO week (UTC), YYYY-MM-DD. */
  period: string;
  kept: number;
  missed: number;
  /** kept / (kept + missed), null when nothing closed in the period. */
  keepRate: number | null;
}

export interface HistogramBucket {
  /** Lower bound in hours (inclusive). */
  fromHours: number;
  /** Upper bound in hours (exclusive). */
  toHours: number;
  count: number;
}

export interface BreakdownRow {
  key: string;
  label: string;
  closed: number;
  kept: number;
  missed: number;
  keepRate: number | null;
  /** Median satisfied − promised in wall hours, null without data. */
  medianLateHours: number | null;
  needMet: number;
  needMissed: number;
}

export interface CalibrationBin {
  /** Promised keep-probability bin lower bound (inclusive), 0..1. */
  from: number;
  /** Upper bound (exclusive; the last bin includes 1). */
  to: number;
  /** Decided promises in the bin: satisfied, or unsatisfied with the promise passed. */
  promises: number;
  /** Of those, satisfied by the promise. */
  kept: number;
  /** kept / promises, null for an empty bin. */
  observed: number | null;
  /** Mean promised keep-probability in the bin, null for an empty bin. */
  predicted: number | null;
  /**
   * 95 % Wilson interval of the observed keep-rate (`kept` of `promises`), null for an empty bin: how far
   * the observed rate may be off by chance at this sample size.
   */
  interval: { low: number; high: number } | null;
}

export interface AnalyticsSummaryResponse {
  from: string;
  to: string;
  /** The organization's target keep-rate (organizations.target_keep_rate), 0..1. */
  targetKeepRate: number;
  totals: { closed: number; kept: number; missed: number; keepRate: number | null; needMet: number; needMissed: number; open: number };
  keepRateByWeek: KeepRatePoint[];
  /** satisfied − promised in wall hours (negative = early). */
  satisfiedMinusPromised: HistogramBucket[];
  /** promised − required in wall hours (positive = promised after the need). */
  promisedMinusRequired: HistogramBucket[];
  byCategory: BreakdownRow[];
  byCustomer: BreakdownRow[];
  byEngineer: BreakdownRow[];
  /** By the case's team, else the team of whoever recorded the fix; key `none` = no team. */
  byTeam: BreakdownRow[];
  /**
   * Promised keep-probability (of each case's current promise version) against the observed keep-rate;
   * empty when no decided promise carries a keep-probability.
   */
  calibration: CalibrationBin[];
}

/**
 * One stress level (1–5, or `null`: unknown): the stress the customer gave in her survey, else the one
 * recorded at intake. Keep-rate and gaps of the cases satisfied in the range, and her CSAT where she
 * answered the survey.
 */
export interface StressLevelRow {
  stress: number | null;
  closed: number;
  kept: number;
  missed: number;
  keepRate: number | null;
  needMet: number;
  needMissed: number;
  /** Median satisfied − promised, wall hours (positive = late). */
  medianLateHours: number | null;
  /** Median promised − required, wall hours (positive = promised after the need). */
  medianPromisedMinusRequiredHours: number | null;
  /** Median satisfied − required, wall hours (positive = the need was missed). */
  medianSatisfiedMinusRequiredHours: number | null;
  /** Surveys answered, their mean CSAT (null without any) and how many gave each score 1…5. */
  surveys: number;
  meanCsat: number | null;
  csatCounts: [number, number, number, number, number];
}

export interface StressAnalyticsResponse {
  from: string;
  to: string;
  /** Levels 1…5 in order (empty ones with zero counts), then unknown stress when any case has none. */
  levels: StressLevelRow[];
}
