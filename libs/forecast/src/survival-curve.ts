import { binLower, binOf, binUpper, NB } from './bins';

/* Reading a survival curve (one value per duration bin, never rising): its quantiles and its value at a duration. */

/** Duration at which a survival curve crosses 1 − level, interpolated log-linearly inside the bin. */
export function quantileOf(surv: Float64Array, level: number): { ms: number; extrapolated: boolean } {
  const s = 1 - level;
  if (!(surv[NB - 1] <= s)) {
    // The level is out of reach: some cases never finish within the horizon (a "cure fraction"). A longer
    // promise buys nothing, so promise the point where 99 % of the completions that do happen are done.
    const fEnd = 1 - surv[NB - 1];
    if (!(fEnd > 0)) return { ms: binUpper(NB - 1), extrapolated: true };
    let b = 0;
    while (b < NB - 1 && 1 - surv[b] < 0.99 * fEnd) b++;
    return { ms: binUpper(b), extrapolated: true };
  }
  // The curve never rises: binary search for the first bin at or below 1 − level.
  let lo = 0;
  let hi = NB - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (surv[mid] <= s) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  const prev = b > 0 ? surv[b - 1] : 1;
  const cur = surv[b];
  const frac = prev > cur ? (prev - s) / (prev - cur) : 1;
  if (b === 0) return { ms: frac * binUpper(0), extrapolated: false };
  const l = binLower(b);
  const h = binUpper(b);
  return { ms: l * Math.pow(h / l, frac), extrapolated: false };
}

/** Survival (probability of not being done) at a duration, interpolated log-linearly inside the bin. */
export function survivalAt(surv: Float64Array, ms: number): number {
  if (!(ms > 0)) return 1;
  const b = binOf(ms);
  const prev = b > 0 ? surv[b - 1] : 1;
  let frac: number;
  if (b === 0) frac = ms / binUpper(0);
  else {
    const lo = binLower(b);
    const hi = binUpper(b);
    frac = Math.min(1, Math.max(0, Math.log(ms / lo) / Math.log(hi / lo)));
  }
  return prev + (surv[b] - prev) * frac;
}
