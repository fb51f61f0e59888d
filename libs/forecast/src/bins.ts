/**
 * Durations are binned on a log scale: bin 0 holds everything under one minute, bins 1 … NB−1 grow by a
 * constant ratio up to about two years (resolution ≈ 4.5 % of the duration, far finer than any promise
 * is stated in). Everything longer falls into the last bin.
 */
export const MIN_BIN_MS = 60_000;
export const MAX_BIN_MS = 2 * 365 * 86_400_000;
export const NB = 320;
const LOG_RATIO = Math.log(MAX_BIN_MS / MIN_BIN_MS) / (NB - 1);

export function binOf(ms: number): number {
  if (!(ms >= MIN_BIN_MS)) return 0;
  const b = 1 + Math.floor(Math.log(ms / MIN_BIN_MS) / LOG_RATIO);
  return b >= NB ? NB - 1 : b;
}

/** Lower edge of bin b (ms). */
export function binLower(b: number): number {
  return b <= 0 ? 0 : MIN_BIN_MS * Math.exp((b - 1) * LOG_RATIO);
}

/** Upper edge of bin b (ms). */
export function binUpper(b: number): number {
  return MIN_BIN_MS * Math.exp(b * LOG_RATIO);
}
