/**
 * The probability of keeping a promise for a case that is still open: with F the forecast's calibrated
 * probability that the case is done by a given time (F(promise) is the promise's keep-probability,
 * F(now) the probability it would already be done by now),
 *
 *   P(T ≤ promise | T > now) = (F(promise) − F(now)) / (1 − F(now)),
 *
 * clamped to [0, 1] (calibration can make F(promise) < F(now) by a hair). Unrounded: callers round for
 * display.
 *
 * @returns 0 once the promise has passed (an open case past its promise has missed it); null when
 *   F(now) ≥ 1 (the model says the case should be done already, so it has nothing to condition on) or an
 *   input is not a number.
 */
export function conditionalKeepProbability(fPromise: number, fNow: number, promiseHasPassed: boolean): number | null {
  if (promiseHasPassed) return 0;
  if (Number.isNaN(fPromise) || Number.isNaN(fNow)) return null;
  if (fNow >= 1) return null;
  const p = (fPromise - fNow) / (1 - fNow);
  return Math.min(1, Math.max(0, p));
}
