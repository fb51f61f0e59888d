/* The options and the result of `evaluate` (the history replay behind `kept evaluate`). */

export interface EvaluateOptions {
  /** The keep-rate the recommender aims at (default 0.9). */
  target?: number;
  /** Targets of the calibration table (default 0.5 … 0.95). The main target is always included. */
  targets?: readonly number[];
  halfLifeDays?: number;
  /** How often (simulated time) the open cases are re-censored and the curves refreshed (default 1 h). */
  epochMs?: number;
  /** Adaptive-conformal step γ (default 0.005). */
  gamma?: number;
  /**
   * `dtaci` (default): several trackers with different steps combined online, with late outcomes as
   * PIT intervals and small categories pooled (calibration/dtaci.ts); `aci`: one tracker of step `gamma`.
   */
  calibrator?: 'dtaci' | 'aci';
  /** DtACI: step sizes, integrator step, horizon (defaults in calibration/dtaci.ts). */
  dtaci?: import('../calibration/dtaci').DtaciOptions;
  /** DtACI: outcomes at which a category's own tracker weighs as much as the pooled one (default 200). */
  poolingStrength?: number;
  /** Honest fallback where the target cannot be stood behind (honest.ts; default true). */
  honest?: boolean;
  /** Calibrate the level with adaptive conformal inference (default true). */
  calibrate?: boolean;
  /**
   * `category` (default): one adaptive level per category and target (Mondrian conformal), so a category
   * whose cases often never finish cannot push every other category's promises up; `global`: one per target.
   */
  calibrateBy?: 'category' | 'global';
  onProgress?(done: number, total: number): void;
}

export interface CalibrationRow {
  target: number;
  keepRate: number | null;
  decided: number;
  medianPromiseHours: number | null;
  /** The quantile level the calibrators ended on for this target (mean over categories). */
  finalLevel: number;
  /** Mean level used over the later half of the scored cases: a stable calibrated level for this target. */
  meanLevel: number;
}

export interface GroupFigures {
  rows: number;
  scored: number;
  keepRate: number | null;
  medianPromiseHours: number | null;
  orgKeepRate: number | null;
  orgMedianPromiseHours: number | null;
  orgRows: number;
}

export interface EvaluationResult extends GroupFigures {
  target: number;
  halfLifeDays: number;
  /** Scored cases whose outcome is unknown at the end of the file (promise after the last timestamp, still open). */
  unknown: number;
  /** Keep-rate if every unknown outcome were a miss: a lower bound that long promises cannot flatter. */
  keepRateLowerBound: number | null;
  /** Cases scored before any history existed (no recommendation possible). */
  unscored: number;
  cancelled: number;
  kept: number;
  decided: number;
  orgUnknown: number;
  /** Recommender keep-rate and median promise on the cases where the organization promised too. */
  keepRateOnOrgRows: number | null;
  medianPromiseHoursOnOrgRows: number | null;
  calibration: CalibrationRow[];
  categories: (GroupFigures & { category: string })[];
  /** The adaptive levels each category ended on (per target, in `calibration` order) and the outcomes behind them. */
  categoryLevels: { category: string; outcomes: number; levels: number[] }[];
  /** Per target: cases where no promise kept it and the honest fallback was promised (counted apart). */
  honest: HonestFigures[];
  /** Every promise made, per target: the keep-rate / median-promise frontier. */
  frontier: FrontierPoint[];
  /** Mean pinball loss of the main target's quantile, hours per case (lower: sharper and calibrated). */
  pinballLoss: number | null;
  pinballCases: number;
  /** The organization's own point (keep-rate, median promise). */
  org: { keepRate: number; medianPromiseHours: number | null } | null;
  /** Kept's median promise at the organization's keep-rate (interpolated on the frontier) / the organization's median. */
  promiseRatioAtOrgKeep: number | null;
  /** Keep-rate per calendar month (UTC, by creation) of the scored part at the main target. */
  monthly: MonthlyFigures[];
  priorStrengths: number[];
  segments: number;
  firstCreated: string | null;
  lastTimestamp: string | null;
}

export interface HonestFigures {
  target: number;
  cases: number;
  keepRate: number | null;
  /** Mean model level the fallback promises stood behind (the probability stated). */
  meanStatedLevel: number | null;
  medianPromiseHours: number | null;
}

export interface FrontierPoint {
  target: number;
  keepRate: number | null;
  medianPromiseHours: number | null;
}

export interface MonthlyFigures {
  month: string;
  /** Decided standable promises at the main target. */
  cases: number;
  keepRate: number | null;
  /** Honest fallbacks that month (not in the keep-rate). */
  honest: number;
}
