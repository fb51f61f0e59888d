const HOUR = 3_600_000;

/**
 * One case's pinball loss ρ_τ(y − q) in hours for a promise of `promiseH` hours at quantile level `tau`:
 * y is the real duration; a case still open at `fileEnd` counts with its age there when that already
 * exceeds the promise (a lower bound on its loss) and is unknown (NaN) otherwise.
 */
export function pinballTerm(tau: number, promiseH: number, createdAt: number, doneAt: number, fileEnd: number): number {
  if (promiseH !== promiseH) return NaN;
  let y: number;
  if (doneAt === doneAt) y = (doneAt - createdAt) / HOUR;
  else {
    y = (fileEnd - createdAt) / HOUR;
    if (y <= promiseH) return NaN;
  }
  return y > promiseH ? tau * (y - promiseH) : (1 - tau) * (promiseH - y);
}
