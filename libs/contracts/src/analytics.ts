import type { RiskReason as DomainRiskReason } from '@kept/domain';
import { z } from 'zod';
import type { CaseSummaryResponse } from './cases';
import { caseStatusSchema } from './cases';
import { instantSchema } from './common';

/** Statuses on the board: every case not yet closed (satisfied or cancelled). */
export const BOARD_STATUSES = ['open', 'paused', 'fixed'] as const;

export const boardQuerySchema = z
  .object({
    status: z
      .string()
      .regex(/^[a-z]+(,[a-z]+)*$/)
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(caseStatusSchema).optional()),
    category: z.string().max(100).optional(),
    customerId: z.uuid().optional(),
    /** The case's assignee (cases.assignee_id). */
    engineerId: z.uuid().optional(),
    /** The case's team (cases.team, set from the assignee's team at assignment). */
    team: z.string().trim().min(1).max(100).optional(),
    atRisk: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type BoardQuery = z.infer<typeof boardQuerySchema>;

/**
 * Why the board ranks a case as at risk (any one is enough): the domain's one definition, shared with
 * the at-risk alert (libs/domain/src/risk/risk.ts assessRisk).
 */
export type RiskReason = DomainRiskReason;

export interface BoardItemResponse extends CaseSummaryResponse {
  /** Business minutes from now to promisedAt on the case's calendar (negative when overdue). */
  businessMinutesToPromise: number | null;
  /** Business minutes from now to requiredAt (negative when the need is already missed). */
  businessMinutesToNeed: number | null;
  /** Share of the promise window (opened → promised, business time) already used, 0..1+; null without a promise. */
  promiseWindowUsed: number | null;
  /** Probability of keeping the current promise, when the forecast provides one; otherwise null. */
  keepProbability: number | null;
  atRisk: boolean;
  riskReasons: RiskReason[];
  /** Lower = more urgent; the board is sorted by it. */
  riskScore: number;
}

export interface BoardResponse {
  /** The instant the remaining times were measured at. */
  now: string;
  items: BoardItemResponse[];
  facets: {
    categories: string[];
    customers: { id: string; name: string }[];
    engineers: { id: string; name: string; team: string | null }[];
    /** Teams of active engineers and of open cases. */
    teams: string[];
  };
}

export interface EngineerAvailabilityResponse {
  id: string;
  name: string;
  team: string | null;
  /** Open (not closed) cases assigned to this engineer. */
  openCases: number;
  /** The soonest open promise among those cases, if any. */
  nextPromiseAt: string | null;
}

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
