import { binOf, binUpper, NB } from './bins';
import type { ForecastModel } from './model';
import type { Recommendation } from './model-types';

/**
 * Honesty where no promise keeps. A segment's survival curve levels off when many of its cases never
 * close (Boston: request types mostly left open): past that knee a longer promise buys almost nothing,
 * and a quantile there is a huge number no dispatcher would say ("49 days"). The knee is the shortest
 * promise q, beyond the median closure, at which doubling it would close less than {@link KNEE_GAIN} of
 * the cases still open at q (the hazard has collapsed). When the level asked for lies beyond the knee,
 * and at least {@link NEVER_CLOSED_MIN} of the segment's cases never close, the recommender says why and
 * offers the knee: the longest promise it can stand behind, at the lower probability F(q) it states.
 */
export const KNEE_GAIN = 0.2;
/**
 * Share of a segment's cases that must never close before the knee counts: a curve that levels off
 * between two modes (closed fast, or by a later sweep) with every case closing eventually is no reason.
 */
export const NEVER_CLOSED_MIN = 0.05;
/** The level must exceed the knee's probability by this much before the fallback replaces it. */
export const HONEST_MARGIN = 0.01;

export interface HonestAnswer {
  /** Why the target cannot be promised; null when it can. */
  reason: string | null;
  /** The knee (ms; Infinity when the curve never levels off). */
  kneeMs: number;
  /** The (model) probability the offered promise is kept: the level used, or the lower stated one. */
  standLevel: number;
}

const days = (ms: number) => (ms >= 2 * 86_400_000 ? `${Math.round(ms / 86_400_000)} days` : `${Math.round(ms / 3_600_000)} hours`);

/** Whether a promise at `level` for node `id` can be stood behind; if not, the lower level that can. */
export function honestLevel(model: ForecastModel, id: number, level: number): HonestAnswer {
  const everDone = model.probabilityAt(id, binUpper(NB - 1));
  const q = model.quantileAt(id, level).ms;
  if (!(everDone > 0) || 1 - everDone < NEVER_CLOSED_MIN) return { reason: null, kneeMs: Infinity, standLevel: level };
  let knee = Infinity;
  let fKnee = everDone;
  for (let b = binOf(model.quantileAt(id, 0.5 * everDone).ms); b < NB - 1; b++) {
    const t = binUpper(b);
    if (t >= q) break; // the promise asked for comes first: no knee before it
    const f = model.probabilityAt(id, t);
    const f2 = model.probabilityAt(id, 2 * t);
    if (f2 - f < KNEE_GAIN * (1 - f)) {
      knee = t;
      fKnee = f;
      break;
    }
  }
  if (!(knee < q) || level <= fKnee + HONEST_MARGIN) return { reason: null, kneeMs: knee, standLevel: level };
  const stand = Math.max(0.01, fKnee);
  const never = Math.round((1 - everDone) * 100);
  const reason = `${never} % of these requests were never closed; the longest promise that can be stood behind (${days(knee)}) is kept about ${Math.round(stand * 100)} % of the time.`;
  return { reason, kneeMs: knee, standLevel: stand };
}

/** `model.recommendPath` with the honesty rule: basis.reason set and the promise at the stated level when the target cannot be kept. */
export function recommendHonestly(model: ForecastModel, path: Int32Array, level: number): Recommendation {
  const id = path[Math.min(path.length - 1, model.levels.length)];
  const h = honestLevel(model, id, level);
  if (h.reason === null) return { ...model.recommendPath(path, level), reason: null };
  const rec = model.recommendPath(path, h.standLevel);
  return { ...rec, basis: { ...rec.basis, reason: h.reason }, reason: h.reason, statedLevel: h.standLevel };
}
