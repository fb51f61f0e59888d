import type { BinCounts } from './bin-counts';

/** The options, answers and segment records of ForecastModel (model.ts). */
export interface ForecastOptions {
  /** Half-life of the recency weight, in days (default 60). `Infinity` weighs all history equally. */
  halfLifeDays?: number;
  /** The keep-rate the shrinkage strengths are estimated at (default 0.9). */
  referenceTarget?: number;
}

export interface Basis {
  /** Values of the segment the answer rests on, most general first (empty = all cases). */
  segment: string[];
  /** Names of those values' levels. */
  levels: string[];
  /** Cases observed in that segment (closed and open). */
  n: number;
  /** Kish effective sample size after recency weighting. */
  effectiveN: number;
  /** Prior strength κ pulling this segment toward its parent (0 for the root). */
  priorStrength: number;
  halfLifeDays: number;
  /** The quantile lies beyond every observed duration: the answer is a lower bound. */
  extrapolated: boolean;
  /** Why the target cannot be promised (set by `recommendHonestly`, honest.ts); absent when it can. */
  reason?: string | null;
}

export interface Recommendation {
  promiseMs: number;
  /** The model's probability that a case of this segment is done within promiseMs. */
  keepProbability: number;
  /** The quantile level used (after calibration it may differ from the target). */
  level: number;
  basis: Basis;
  /** Set by `recommendHonestly`: why no promise keeps the target (null: it can be kept). */
  reason?: string | null;
  /** With a reason: the lower model level the offered promise stands behind. */
  statedLevel?: number;
}

export const KAPPA_MAX = 10_000;

/** One segment of the tree: its own event, censoring and open-case counts and its cached pooled curve. */
export interface SegmentNode {
  key: string;
  values: string[];
  /** Index into the kappa array: 1 … L for tenant levels, L + 1 for customer segments. */
  level: number;
  parent: number;
  ev: BinCounts;
  /** Censored for good (cancelled …); allocated on first use. */
  cen: BinCounts | null;
  n: number;
  w: number;
  w2: number;
  open: BinCounts | null;
  openN: number;
  openW: number;
  openW2: number;
  cacheVersion: number;
  surv: Float64Array | null;
  neff: number;
}
