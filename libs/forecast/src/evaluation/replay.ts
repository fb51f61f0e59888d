import { AdaptiveLevel, CALIBRATION_TARGETS, DEFAULT_ACI_STEP } from '../calibration';
import { PooledDtaci } from '../calibration/dtaci';
import { honestLevel } from '../honest';
import { binOf, binUpper } from '../bins';
import { ForecastModel } from '../model';
import type { CaseTable } from './case-table';
import { EventHeap } from './event-heap';
import type { EvaluateOptions } from './types';

const HOUR = 3_600_000;
// Outcome events (payload & 3): a promise missed (still open when it passed), kept, and the follow-up of a miss.
const MISSED = 0;
const KEPT = 1;
const FOLLOW_UP = 2;

/**
 * What a replay leaves behind for the figures: per scored case and target, the promise recommended
 * (hours; NaN when none) and its outcome (−1 unscored or unknown, 0 missed, 1 kept), the adaptive levels,
 * and the model as it ended.
 */
export interface Replay {
  target: number;
  /** The calibration targets, sorted; `mainK` indexes the main target. */
  targets: number[];
  mainK: number;
  K: number;
  /** `promiseH[i * K + k]`: the promise for case i at target k, in hours. */
  promiseH: Float32Array;
  /** `outcome[i * K + k]`: −1 unscored/unknown, 0 missed, 1 kept. */
  outcome: Int8Array;
  /** `honestFlag[i * K + k]`: 1 when no promise kept the target and the honest fallback was promised. */
  honestFlag: Int8Array;
  /** The model level the honest fallback stood behind. */
  statedLevel: Float32Array;
  levelSum: Float64Array;
  levelCount: Float64Array;
  /** Per category code (or 0 when global), the level each target's calibrator ended on; sparse. */
  trackers: { level: number; updates: number }[][];
  byCategory: boolean;
  unscored: number;
  /** The last timestamp of the file (creation or done). */
  fileEnd: number;
  model: ForecastModel;
}

/**
 * Replays history in time order. At each case's creation the model knows exactly the cases done before
 * it (as events) and the cases open at that moment (censored at their age, refreshed every `epochMs`),
 * recommends a promise at each calibration target, and the case's real outcome decides whether it was
 * kept. A case still open at the end of the file is a miss when the promise had already passed by then,
 * and unknown (left out of the keep-rate, counted in `unknown`) when it had not.
 *
 * The replay only: {@link summarize} turns its outcome into the figures.
 */
export function replay(table: CaseTable, options: EvaluateOptions = {}): Replay {
  const target = options.target ?? 0.9;
  const targets = [...new Set([...(options.targets ?? CALIBRATION_TARGETS), target])].sort((a, b) => a - b);
  const mainK = targets.indexOf(target);
  const K = targets.length;
  const epochMs = options.epochMs ?? HOUR;
  const model = new ForecastModel(table.levels, { halfLifeDays: options.halfLifeDays ?? 60, referenceTarget: target });
  const gamma = options.gamma ?? DEFAULT_ACI_STEP;
  const byCategory = (options.calibrateBy ?? 'category') === 'category' && table.levels.length > 0;
  const useDtaci = (options.calibrator ?? 'dtaci') === 'dtaci';
  // Single-step ACI (the previous calibration, kept for comparison): one tracker per category and target.
  const aci: AdaptiveLevel[][] = [];
  const aciOf = (g: number): AdaptiveLevel[] => aci[g] ?? (aci[g] = targets.map((tg) => new AdaptiveLevel(tg, gamma)));
  // DtACI: per target, a pooled tracker and one per category shrunk toward it while its outcomes are few.
  const dtaci = targets.map((tg) => new PooledDtaci(tg, options.poolingStrength ?? 200, options.dtaci));
  const levelOf = (g: number, k: number) => (useDtaci ? dtaci[k].levelOf(g) : aciOf(g)[k].level);
  const calibrate = options.calibrate ?? true;
  const n = table.n;
  const { created, done, cancelled, score } = table;
  // Per case: the PIT of its real duration under the model when the promise was made (NaN: not closed);
  // per case and target: the level actually used. An outcome event carries (case, target, kept).
  const pit = new Float32Array(n).fill(NaN);
  const usedLevel = new Float32Array(n * K);
  const followLo = new Float32Array(n * K);
  const honest = options.honest ?? true;
  /** `honestFlag[i * K + k]`: 1 when the promise was the honest fallback; `statedLevel` its stated level. */
  const honestFlag = new Int8Array(n * K);
  const statedLevel = new Float32Array(n * K);

  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => created[a] - created[b] || a - b);
  let doneCount = 0;
  for (let i = 0; i < n; i++) if (!cancelled[i] && done[i] === done[i]) doneCount++;
  const doneOrder = new Int32Array(doneCount);
  for (let i = 0, j = 0; i < n; i++) if (!cancelled[i] && done[i] === done[i]) doneOrder[j++] = i;
  doneOrder.sort((a, b) => done[a] - done[b] || a - b);

  let fileEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    if (created[i] > fileEnd) fileEnd = created[i];
    if (done[i] > fileEnd) fileEnd = done[i];
  }

  // Segment paths, resolved once per distinct combination of values.
  const pathCache = new Map<string, Int32Array>();
  const paths: (Int32Array | undefined)[] = new Array(n);
  const pathOf = (i: number): Int32Array => {
    let p = paths[i];
    if (p) return p;
    let key = '';
    for (let l = 0; l < table.levels.length; l++) key += `${table.codes[l][i]},`;
    p = pathCache.get(key);
    if (!p) {
      p = model.pathOf(table.levels.map((_, l) => table.dicts[l][table.codes[l][i]]));
      pathCache.set(key, p);
    }
    paths[i] = p;
    return p;
  };

  // Open set: cases created, not cancelled, not yet done. openPos: −1 not created yet, −2 done.
  const openList = new Int32Array(n);
  const openPos = new Int32Array(n).fill(-1);
  let openCount = 0;
  const heap = new EventHeap();
  const promiseH = new Float32Array(n * K).fill(NaN);
  const outcome = new Int8Array(n * K).fill(-1); // −1 unscored/unknown, 0 missed, 1 kept
  const levelSum = new Float64Array(K);
  const levelCount = new Float64Array(K);
  const weights = new Float64Array(n);
  const openBin = new Int16Array(n);
  const openNext = new Float64Array(n);
  let weightEpoch = model.rescaleCount;
  let nextEpoch = -Infinity;
  let nextKappaCount = 50;
  let nextKappaTime = -Infinity;
  let unscored = 0;
  let dp = 0;
  const progressEvery = Math.max(1000, Math.floor(n / 200));

  for (let oi = 0; oi < n; oi++) {
    const i = order[oi];
    const t = created[i];
    while (dp < doneOrder.length && done[doneOrder[dp]] <= t) {
      const j = doneOrder[dp++];
      const pos = openPos[j];
      if (pos >= 0) {
        const last = openList[--openCount];
        openList[pos] = last;
        openPos[last] = pos;
        model.moveOpen(paths[j] as Int32Array, weights[j], openBin[j], -1);
      }
      openPos[j] = -2;
      model.addClosed(pathOf(j), created[j], done[j] - created[j]);
    }
    while (heap.peekTime() <= t) {
      const payload = heap.pop();
      if (calibrate) {
        const ik = payload >> 2;
        const kind = payload & 3;
        const j = Math.floor(ik / K);
        const k = ik % K;
        const g = byCategory ? table.codes[0][j] : 0;
        const lv = usedLevel[ik];
        if (!useDtaci) {
          if (kind !== FOLLOW_UP) aciOf(g)[k].update(kind === KEPT);
        } else if (kind === KEPT) {
          // Known at the close, with its exact PIT.
          const u = Math.min(pit[j], lv);
          dtaci[k].observe(g, { lo: u, hi: u }, lv);
        } else if (kind === MISSED) {
          // Known when the promise passed, the case still open: only "above the level used".
          dtaci[k].observeMissed(g, lv);
        } else {
          // The same case later: closed (exact PIT) or still open at twice its promise (PIT above F(2q)).
          const u = pit[j];
          dtaci[k].observeFollowUp(g, u === u && done[j] <= t ? { lo: u, hi: u } : { lo: Math.max(lv, followLo[ik]), hi: 1 }, lv);
        }
      }
    }
    if (t >= nextEpoch) {
      if (model.rescaleCount !== weightEpoch) {
        // Weights were renormalised: rebuild the open cases from scratch with fresh weights.
        weightEpoch = model.rescaleCount;
        model.beginEpoch();
        for (let o = 0; o < openCount; o++) {
          const j = openList[o];
          weights[j] = model.weightOf(created[j]);
          openBin[j] = binOf(t - created[j]);
          openNext[j] = created[j] + binUpper(openBin[j]);
          model.moveOpen(paths[j] as Int32Array, weights[j], -1, openBin[j]);
        }
      }
      // Age the open cases: only those whose age crossed into a new bin move.
      for (let o = 0; o < openCount; o++) {
        const j = openList[o];
        if (t < openNext[j]) continue;
        const b = binOf(t - created[j]);
        model.moveOpen(paths[j] as Int32Array, weights[j], openBin[j], b);
        openBin[j] = b;
        openNext[j] = created[j] + binUpper(b);
      }
      model.invalidate();
      if (model.closedCount >= nextKappaCount || t >= nextKappaTime) {
        model.estimatePriorStrengths();
        nextKappaCount = Math.ceil(model.closedCount * 1.25) + 50;
        nextKappaTime = t + 30 * 24 * HOUR;
      }
      nextEpoch = t + epochMs;
    }
    // Every case with history behind it gets recommendations, so the calibration learns from history
    // (--history, --score-from) as well; only scored cases count in the figures.
    const scored = score[i] && !cancelled[i];
    if (scored && model.closedCount === 0) unscored++;
    else if (!cancelled[i] && model.closedCount > 0 && (scored || calibrate)) {
      const path = pathOf(i);
      const leaf = path[path.length - 1];
      const late = oi >= n >> 1;
      const g = byCategory ? table.codes[0][i] : 0;
      const d0 = done[i];
      if (d0 === d0 && useDtaci) pit[i] = model.probabilityAt(leaf, d0 - t);
      for (let k = 0; k < K; k++) {
        const lv = levelOf(g, k);
        usedLevel[i * K + k] = lv;
        if (scored && late) {
          levelSum[k] += lv;
          levelCount[k]++;
        }
        const ik = i * K + k;
        // Honesty: where the level cannot be stood behind (never-closing cases, beyond the data), the
        // promise is the longest one that can, at a stated lower level; such cases are counted apart and
        // do not feed the calibration (they are not promises at the target).
        const h = honest ? honestLevel(model, leaf, lv) : null;
        const isHonest = h !== null && h.reason !== null;
        if (isHonest) {
          honestFlag[ik] = 1;
          statedLevel[ik] = h.standLevel;
        }
        const q = model.quantileAt(leaf, isHonest ? h.standLevel : lv).ms;
        const deadline = t + q;
        if (scored) promiseH[ik] = q / HOUR;
        const d = done[i];
        const feed = !isHonest;
        if (d === d && d <= deadline) {
          if (scored) outcome[ik] = 1;
          if (feed) heap.push(d, ik * 4 + KEPT);
        } else if (deadline <= fileEnd) {
          if (scored) outcome[ik] = 0;
          if (feed) heap.push(deadline, ik * 4 + MISSED);
          if (feed && useDtaci && calibrate) {
            const check = t + 2 * q;
            if (d === d && d <= check) heap.push(d, ik * 4 + FOLLOW_UP);
            else if (check <= fileEnd) {
              followLo[ik] = model.probabilityAt(leaf, 2 * q);
              heap.push(check, ik * 4 + FOLLOW_UP);
            }
          }
        }
      }
    }
    if (!cancelled[i] && openPos[i] === -1) {
      openPos[i] = openCount;
      openList[openCount++] = i;
      weights[i] = model.weightOf(t);
      openBin[i] = 0;
      openNext[i] = t + binUpper(0);
      model.moveOpen(pathOf(i), weights[i], -1, 0);
    }
    if (options.onProgress && oi % progressEvery === 0) options.onProgress(oi, n);
  }
  options.onProgress?.(n, n);

  const trackers: { level: number; updates: number }[][] = [];
  if (useDtaci) {
    for (const [g] of dtaci[0].entries()) trackers[g] = dtaci.map((d) => ({ level: d.levelOf(g), updates: d.segment(g).updates }));
    if (trackers.length === 0) trackers[0] = dtaci.map((d) => ({ level: d.pooled.level, updates: d.pooled.updates }));
  } else aci.forEach((t, g) => (trackers[g] = t.map((a) => ({ level: a.level, updates: a.updates }))));

  return { target, targets, mainK, K, promiseH, outcome, honestFlag, statedLevel, levelSum, levelCount, trackers, byCategory, unscored, fileEnd, model };
}
