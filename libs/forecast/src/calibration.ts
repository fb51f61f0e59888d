/**
 * Adaptive conformal inference (Gibbs & Candès, "Adaptive Conformal Inference Under Distribution Shift",
 * NeurIPS 2021) on the quantile level. After each outcome becomes known, α ← α + γ(α* − miss): a miss
 * raises the level the model is asked for, a keep lowers it a little, so over any long stretch the
 * observed keep-rate converges to the target even when the model is biased or the process drifts.
 */
export const CALIBRATION_TARGETS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] as const;
export const DEFAULT_ACI_STEP = 0.005;
const MAX_LEVEL = 0.999;
const MIN_LEVEL = 0.01;

export class AdaptiveLevel {
  private alpha: number;
  /** Outcomes seen so far. */
  updates = 0;

  constructor(
    readonly target: number,
    readonly gamma = DEFAULT_ACI_STEP,
  ) {
    if (!(target > 0 && target < 1)) throw new Error('target must be in (0, 1)');
    this.alpha = 1 - target;
  }

  /** The quantile level to ask the model for now. */
  get level(): number {
    return Math.min(MAX_LEVEL, Math.max(MIN_LEVEL, 1 - this.alpha));
  }

  setLevel(level: number): void {
    this.alpha = 1 - Math.min(MAX_LEVEL, Math.max(MIN_LEVEL, level));
  }

  update(kept: boolean): void {
    this.alpha += this.gamma * (1 - this.target - (kept ? 0 : 1));
    // Keep α inside a band so a long run of one outcome cannot wind it up beyond recovery.
    this.alpha = Math.min(1 - MIN_LEVEL + this.gamma, Math.max(1 - MAX_LEVEL - this.gamma, this.alpha));
    this.updates++;
  }
}

/** One adaptive level per calibration target, plus the map from a raw model probability to a calibrated one. */
export class Calibrator {
  readonly levels: AdaptiveLevel[];

  constructor(
    targets: readonly number[] = CALIBRATION_TARGETS,
    readonly gamma = DEFAULT_ACI_STEP,
  ) {
    this.levels = [...new Set(targets)].sort((a, b) => a - b).map((t) => new AdaptiveLevel(t, gamma));
  }

  /** Tracked (target, level) pairs with the levels made non-decreasing in the target (running maximum). */
  private monotone(): { target: number; level: number }[] {
    let max = 0;
    return this.levels.map((l) => {
      max = Math.max(max, l.level);
      return { target: l.target, level: max };
    });
  }

  /**
   * Level to use for a target: its own tracker, or interpolated between the nearest tracked targets.
   * Never lower for a higher target, even when independent trackers cross (noise).
   */
  levelFor(target: number): number {
    const ls = this.monotone();
    const exact = ls.find((l) => Math.abs(l.target - target) < 1e-9);
    if (exact) return exact.level;
    if (target <= ls[0].target) return Math.max(MIN_LEVEL, ls[0].level - (ls[0].target - target));
    const last = ls[ls.length - 1];
    if (target >= last.target) return Math.min(MAX_LEVEL, last.level + (target - last.target));
    const i = ls.findIndex((l) => l.target > target);
    const a = ls[i - 1];
    const b = ls[i];
    return a.level + ((b.level - a.level) * (target - a.target)) / (b.target - a.target);
  }

  /**
   * Calibrated keep-probability of a promise the model gives raw probability `p`: tracked level ℓ_k is
   * observed to be kept at rate t_k, so p is mapped through the monotone interpolation of (ℓ_k → t_k).
   */
  calibrate(p: number): number {
    const pts: [number, number][] = [[0, 0]];
    for (const l of this.monotone()) {
      const lv = Math.max(pts[pts.length - 1][0] + 1e-6, l.level);
      pts.push([lv, l.target]);
    }
    pts.push([Math.max(1, pts[pts.length - 1][0] + 1e-6), 1]);
    for (let i = 1; i < pts.length; i++) {
      if (p <= pts[i][0]) {
        const [x0, y0] = pts[i - 1];
        const [x1, y1] = pts[i];
        return y0 + ((y1 - y0) * (p - x0)) / (x1 - x0);
      }
    }
    return 1;
  }

  /** Starts a target's tracker from a level learned elsewhere (e.g. the final level of a replay). */
  setLevel(target: number, level: number): void {
    this.get(target)?.setLevel(level);
  }

  get(target: number): AdaptiveLevel | undefined {
    return this.levels.find((l) => Math.abs(l.target - target) < 1e-9);
  }

  /** A calibrator passed by structured clone (from a worker thread), with its prototypes restored. */
  static revive(clone: Calibrator): Calibrator {
    const c = Object.setPrototypeOf(clone, Calibrator.prototype) as Calibrator;
    for (const l of c.levels) Object.setPrototypeOf(l, AdaptiveLevel.prototype);
    return c;
  }
}
