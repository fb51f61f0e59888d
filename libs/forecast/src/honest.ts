import { binUpper, NB } from './bins';
import type { ForecastModel } from './model';
import type { Recommendation } from './model-types';

/**
 * Honesty where no promise keeps. A segment's survival curve levels off at the share of its cases that
 * never close (Boston: request types mostly left open); a quantile at or beyond that plateau is either
 * extrapolated or lies in a tail so flat that a longer promise buys almost nothing ("49 days" that no
 * dispatcher would say). Then the recommender says why, and offers the longest promise it can stand
 * behind: the quantile a margin below the plateau, at that lower, stated probability.
 */
export const HONEST_MARGIN = 0.03;
/** Below this share of never-closed cases the curve has no plateau worth the name. */
const NEVER_CLOSED_SHARE = 0.02;

export interface HonestAnswer {
  /** Why the target cannot be promised; null when it can. */
  reason: string | null;
  /** Share of the segment's cases the curve says are ever done (1 − plateau). */
  everDoneShare: number;
  /** The (model) probability the offered promise is kept: the level used, or the lower stated one. */
  standLevel: number;
}

/** Whether a promise at `level` for node `id` can be stood behind; if not, the lower level that can. */
export function honestLevel(model: ForecastModel, id: number, level: number): HonestAnswer {
  const everDone = model.probabilityAt(id, binUpper(NB - 1));
  const never = 1 - everDone;
  const reachable = everDone - HONEST_MARGIN;
  // Only a real plateau (cases that never close) makes a target unkeepable; a quantile merely beyond the
  // data with every case closing eventually is flagged `extrapolated` in the basis, as before.
  if (never < NEVER_CLOSED_SHARE || level <= reachable) return { reason: null, everDoneShare: everDone, standLevel: level };
  const stand = Math.max(0.01, Math.min(level, reachable));
  const reason = `${Math.round(never * 100)} % of these requests were never closed; the longest promise that can be stood behind is kept about ${Math.round(stand * 100)} % of the time.`;
  return { reason, everDoneShare: everDone, standLevel: stand };
}

/** `model.recommendPath` with the honesty rule: basis.reason set and the promise at the stated level when the target cannot be kept. */
export function recommendHonestly(model: ForecastModel, path: Int32Array, level: number): Recommendation {
  const id = path[Math.min(path.length - 1, model.levels.length)];
  const h = honestLevel(model, id, level);
  if (h.reason === null) return { ...model.recommendPath(path, level), reason: null };
  const rec = model.recommendPath(path, h.standLevel);
  return { ...rec, basis: { ...rec.basis, reason: h.reason }, reason: h.reason, statedLevel: h.standLevel };
}
