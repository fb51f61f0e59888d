/**
 * The Wilson score interval of a proportion: `successes` out of `trials`, at the normal quantile `z`
 * (1.96: 95 %). Unlike the plain ±z·√(p(1−p)/n) interval it stays inside [0, 1] and does not collapse to
 * a point at 0 or n successes, so it is honest for the small samples of a calibration bin ("9 of 10 kept"
 * is 60–98 %, not 90 % ± 19).
 *
 *   centre = (p + z²/2n) / (1 + z²/n),  half-width = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²)
 *
 * @returns null without trials (nothing observed), else the interval's bounds in [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): { low: number; high: number } | null {
  if (!(trials > 0) || successes < 0 || successes > trials) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
