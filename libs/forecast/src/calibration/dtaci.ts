/**
 * Drift-following calibration of the quantile level: dynamically-tuned adaptive conformal inference
 * (DtACI; Gibbs & Candès 2022, "Conformal inference for online prediction with arbitrary distribution
 * shifts", Algorithm 1, deterministic mixture) with an integrating correction on the promises actually
 * made (the "I" term of conformal PID control; Angelopoulos, Candès & Tibshirani 2023).
 *
 * - Experts: one ACI tracker per step size γ_i (slow ones are smooth under a stable process, fast ones
 *   follow a step change). Each updates on its OWN counterfactual outcome (would a promise at its level
 *   have been kept?), so the experts stay independent of which one is in charge.
 * - Combination: exponential weights on each expert's pinball loss at the target, mixed with a share σ
 *   of the uniform distribution so a long-losing expert can take over after a change (fixed share).
 * - Integrator: the level asked for is the mixture plus a correction c, c ← c + γ_I(miss − (1 − target))
 *   on the promises made. As in ACI the correction stays bounded, so the long-run miss rate of the
 *   promises made converges to 1 − target whatever the experts do.
 *
 * Outcomes arrive late and partly: an observation is the interval [lo, hi] of the case's PIT u (the
 * model's probability of being done by the time it was actually done). A case kept at level ℓ that closes
 * at duration d gives u = F(d) exactly; a case still open when its promise at level ℓ passed gives only
 * u ∈ (ℓ, 1] (it is a miss for every level ≤ ℓ; for a higher level the miss probability is imputed with u
 * uniform on the interval: the conditional model estimate, not an assumption that it will be missed).
 */

export interface PitObservation {
  /** Lower end of the PIT interval (0 … 1). */
  lo: number;
  /** Upper end (≥ lo); equal for an exactly known duration. */
  hi: number;
}

export const DTACI_STEPS = [0.001, 0.002, 0.004, 0.008, 0.016] as const;
export const DTACI_INTEGRATOR_STEP = 0.0005;
const MAX_LEVEL = 0.999;
const MIN_LEVEL = 0.01;
const MAX_CORRECTION = 0.2;

const clampLevel = (x: number) => Math.min(MAX_LEVEL, Math.max(MIN_LEVEL, x));

/** Probability that u ~ U[lo, hi] exceeds ℓ (a miss at level ℓ). */
export function missProbability(o: PitObservation, level: number): number {
  if (o.hi - o.lo < 1e-12) return o.lo > level ? 1 : 0;
  return Math.min(1, Math.max(0, (o.hi - level) / (o.hi - o.lo)));
}

/** Expected pinball loss at quantile τ of level ℓ, with u ~ U[lo, hi]: E[ρ_τ(u − ℓ)]. */
export function expectedPinball(o: PitObservation, level: number, tau: number): number {
  const { lo, hi } = o;
  if (hi - lo < 1e-12) {
    const d = lo - level;
    return d > 0 ? tau * d : (tau - 1) * d;
  }
  // ∫_lo^hi ρ(u − ℓ) du / (hi − lo), split at ℓ.
  const a = Math.min(hi, Math.max(lo, level));
  const below = ((a - lo) * (level - (lo + a) / 2)) * (1 - tau); // u < ℓ
  const above = ((hi - a) * ((a + hi) / 2 - level)) * tau; // u > ℓ
  return (below + above) / (hi - lo);
}

export interface DtaciOptions {
  steps?: readonly number[];
  /** Step of the integrating correction (0: pure DtACI). */
  integratorStep?: number;
  /** Horizon I of the paper's tuning (η, σ); default 500 outcomes. */
  horizon?: number;
}

/**
 * One drift-following calibrated level for one target. Same surface as `AdaptiveLevel` (`level`,
 * `update`, `setLevel`, `updates`), plus `observe` for PIT intervals.
 */
export class DtaciLevel {
  readonly steps: number[];
  /** Experts' levels (coverage scale: 1 − α_i). */
  readonly experts: Float64Array;
  readonly weights: Float64Array;
  private correction = 0;
  readonly eta: number;
  readonly sigma: number;
  readonly integratorStep: number;
  updates = 0;

  constructor(
    readonly target: number,
    options: DtaciOptions = {},
  ) {
    if (!(target > 0 && target < 1)) throw new Error('target must be in (0, 1)');
    this.steps = [...(options.steps ?? DTACI_STEPS)];
    const k = this.steps.length;
    this.experts = new Float64Array(k).fill(target);
    this.weights = new Float64Array(k).fill(1 / k);
    this.integratorStep = options.integratorStep ?? DTACI_INTEGRATOR_STEP;
    const I = options.horizon ?? 500;
    const a = 1 - target;
    // Gibbs & Candès (2022), section 3: σ = 1/(2I), η = √(3/I)·√((log(kI) + 2)/((1−α)²α³ + α²(1−α)³)).
    this.sigma = 1 / (2 * I);
    this.eta = Math.sqrt(3 / I) * Math.sqrt((Math.log(k * I) + 2) / ((1 - a) ** 2 * a ** 3 + a ** 2 * (1 - a) ** 3));
  }

  /** The mixture of the experts' levels (before the integrating correction). */
  get mixture(): number {
    let s = 0;
    for (let i = 0; i < this.experts.length; i++) s += this.weights[i] * this.experts[i];
    return s;
  }

  /** The quantile level to ask the model for now. */
  get level(): number {
    return clampLevel(this.mixture + this.correction);
  }

  /** Starts every expert at a level learned elsewhere (e.g. the end of a replay). */
  setLevel(level: number): void {
    this.experts.fill(clampLevel(level));
    this.correction = 0;
  }

  /** A binary outcome of a promise made at the current level (kept: u ≤ level; missed: u > level). */
  update(kept: boolean): void {
    const l = this.level;
    this.observe(kept ? { lo: 0, hi: l } : { lo: l, hi: 1 }, l);
  }

  /**
   * An outcome: `o` is what is known of the case's PIT, `usedLevel` the level of the promise actually
   * made (for the integrator; default: the current level). `scope` limits the update to part of it, for
   * an outcome that arrives in two steps (see {@link observeMissed} and {@link observeFollowUp}).
   */
  observe(o: PitObservation, usedLevel = this.level, scope: ObserveScope = {}): void {
    const tau = this.target;
    const alpha = 1 - tau;
    const k = this.experts.length;
    if (scope.weights !== false) {
      let wSum = 0;
      for (let i = 0; i < k; i++) {
        const w = this.weights[i] * Math.exp(-this.eta * expectedPinball(o, this.experts[i], tau));
        this.weights[i] = w;
        wSum += w;
      }
      for (let i = 0; i < k; i++) {
        this.weights[i] = wSum > 0 && Number.isFinite(wSum) ? (1 - this.sigma) * (this.weights[i] / wSum) + this.sigma / k : 1 / k;
      }
    }
    const above = scope.expertsAbove ?? -Infinity;
    const upTo = scope.expertsUpTo ?? Infinity;
    for (let i = 0; i < k; i++) {
      const e = this.experts[i];
      if (!(e > above && e <= upTo)) continue;
      const miss = missProbability(o, e);
      // Coverage scale: a miss raises the level. Band as in ACI so a long run cannot wind it up for good.
      const x = e + this.steps[i] * (miss - alpha);
      this.experts[i] = Math.min(1 + this.steps[i], Math.max(MIN_LEVEL - this.steps[i], x));
    }
    if (this.integratorStep > 0 && scope.integrator !== false) {
      const miss = missProbability(o, usedLevel);
      const step = this.integratorStep * (miss - alpha);
      // Anti-windup: no integrating past a level already at its bound (a miss at the highest level the
      // model can answer says nothing a higher correction could fix, and would take long to unwind).
      const level = this.mixture + this.correction;
      if (!((step > 0 && level >= MAX_LEVEL) || (step < 0 && level <= MIN_LEVEL))) {
        this.correction = Math.min(MAX_CORRECTION, Math.max(-MAX_CORRECTION, this.correction + step));
      }
    }
    if (scope.integrator !== false) this.updates++;
  }

  /**
   * First step of a missed promise, when it passed with the case still open: a miss for the promise made
   * and for every expert at or below its level. Experts above it and the weights wait for the follow-up.
   */
  observeMissed(usedLevel: number): void {
    this.observe({ lo: usedLevel, hi: 1 }, usedLevel, { expertsUpTo: usedLevel, weights: false });
  }

  /**
   * Second step of a missed promise, later (when the case closed, or when a longer check-point passed
   * with it still open): what is then known of its PIT (`lo` = `hi` if closed) decides the experts above
   * the level used and the weights.
   */
  observeFollowUp(o: PitObservation, usedLevel: number): void {
    this.observe(o, usedLevel, { expertsAbove: usedLevel, integrator: false });
  }
}

export interface ObserveScope {
  /** Update only experts whose level is above this. */
  expertsAbove?: number;
  /** Update only experts whose level is at most this. */
  expertsUpTo?: number;
  /** Update the combination weights (default true). */
  weights?: boolean;
  /** Update the integrator and count the outcome (default true). */
  integrator?: boolean;
}

/**
 * Trackers for many segments (e.g. categories) with pooling: a segment with few outcomes borrows the
 * level of the pooled (all segments) tracker, and gets its own as its outcomes accumulate:
 * level = (n·own + m·pooled)/(n + m), n the segment's outcomes, m the pooling strength.
 */
export class PooledDtaci {
  readonly pooled: DtaciLevel;
  private readonly segments: (DtaciLevel | undefined)[] = [];

  constructor(
    readonly target: number,
    readonly poolingStrength = 200,
    readonly options: DtaciOptions = {},
  ) {
    this.pooled = new DtaciLevel(target, options);
  }

  segment(g: number): DtaciLevel {
    let s = this.segments[g];
    if (!s) {
      s = new DtaciLevel(this.target, this.options);
      s.setLevel(this.pooled.level);
      this.segments[g] = s;
    }
    return s;
  }

  levelOf(g: number): number {
    const s = this.segments[g];
    if (!s) return this.pooled.level;
    const a = s.updates / (s.updates + this.poolingStrength);
    return clampLevel(a * s.level + (1 - a) * this.pooled.level);
  }

  observe(g: number, o: PitObservation, usedLevel: number): void {
    this.pooled.observe(o, usedLevel);
    this.segment(g).observe(o, usedLevel);
  }

  observeMissed(g: number, usedLevel: number): void {
    this.pooled.observeMissed(usedLevel);
    this.segment(g).observeMissed(usedLevel);
  }

  observeFollowUp(g: number, o: PitObservation, usedLevel: number): void {
    this.pooled.observeFollowUp(o, usedLevel);
    this.segment(g).observeFollowUp(o, usedLevel);
  }

  /** Segments with trackers: [segment code, tracker]. */
  entries(): [number, DtaciLevel][] {
    const out: [number, DtaciLevel][] = [];
    this.segments.forEach((s, g) => s && out.push([g, s]));
    return out;
  }
}
