import { AdaptiveLevel, CALIBRATION_TARGETS, DEFAULT_ACI_STEP } from './calibration';
import { binOf, binUpper } from './bins';
import { ForecastModel } from './model';

const HOUR = 3_600_000;

/**
 * Cases in compact columns (typed arrays), as the evaluation replays them. A million cases take about
 * 40 MB: the CSV text is never held.
 */
export class CaseTable {
  n = 0;
  created = new Float64Array(1024);
  /** When the customer was done (satisfied, else fixed, else closed); NaN while open. */
  done = new Float64Array(1024);
  /** The organization's own promise (instant); NaN when it made none. */
  orgDue = new Float64Array(1024);
  /** The organization's own verdict when the data has one: −1 none, 0 missed, 1 kept. */
  orgFlag = new Int8Array(1024);
  cancelled = new Uint8Array(1024);
  /** 1 = score this case (0 = history the model only learns from). */
  score = new Uint8Array(1024);
  codes: Int32Array[];
  readonly dicts: string[][];
  private readonly dictIndex: Map<string, number>[];

  constructor(readonly levels: string[]) {
    this.codes = levels.map(() => new Int32Array(1024));
    this.dicts = levels.map(() => []);
    this.dictIndex = levels.map(() => new Map());
  }

  private grow(): void {
    const cap = this.created.length * 2;
    const g = <T extends Float64Array | Int8Array | Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.created = g(this.created);
    this.done = g(this.done);
    this.orgDue = g(this.orgDue);
    this.orgFlag = g(this.orgFlag);
    this.cancelled = g(this.cancelled);
    this.score = g(this.score);
    this.codes = this.codes.map(g);
  }

  push(c: { createdAt: number; doneAt?: number; orgDueAt?: number; orgKept?: boolean; cancelled?: boolean; score?: boolean; values: readonly (string | undefined)[] }): void {
    if (this.n === this.created.length) this.grow();
    const i = this.n++;
    this.created[i] = c.createdAt;
    this.done[i] = c.doneAt ?? NaN;
    this.orgDue[i] = c.orgDueAt ?? NaN;
    this.orgFlag[i] = c.orgKept === undefined ? -1 : c.orgKept ? 1 : 0;
    this.cancelled[i] = c.cancelled ? 1 : 0;
    this.score[i] = c.score === false ? 0 : 1;
    for (let l = 0; l < this.levels.length; l++) {
      const v = c.values[l] ?? '';
      let code = this.dictIndex[l].get(v);
      if (code === undefined) {
        code = this.dicts[l].length;
        this.dicts[l].push(v);
        this.dictIndex[l].set(v, code);
      }
      this.codes[l][i] = code;
    }
  }
}

export interface EvaluateOptions {
  /** The keep-rate the recommender aims at (default 0.9). */
  target?: number;
  /** Targets of the calibration table (default 0.5 … 0.95). The main target is always included. */
  targets?: readonly number[];
  halfLifeDays?: number;
  /** How often (simulated time) the open cases are re-censored and the curves refreshed (default 1 h). */
  epochMs?: number;
  /** Adaptive-conformal step γ (default 0.005). */
  gamma?: number;
  /** Calibrate the level with adaptive conformal inference (default true). */
  calibrate?: boolean;
  /**
   * `category` (default): one adaptive level per category and target (Mondrian conformal), so a category
   * whose cases often never finish cannot push every other category's promises up; `global`: one per target.
   */
  calibrateBy?: 'category' | 'global';
  onProgress?(done: number, total: number): void;
}

export interface CalibrationRow {
  target: number;
  keepRate: number | null;
  decided: number;
  medianPromiseHours: number | null;
  /** The quantile level the calibrators ended on for this target (mean over categories). */
  finalLevel: number;
  /** Mean level used over the later half of the scored cases: a stable calibrated level for this target. */
  meanLevel: number;
}

export interface GroupFigures {
  rows: number;
  scored: number;
  keepRate: number | null;
  medianPromiseHours: number | null;
  orgKeepRate: number | null;
  orgMedianPromiseHours: number | null;
  orgRows: number;
}

export interface EvaluationResult extends GroupFigures {
  target: number;
  halfLifeDays: number;
  /** Scored cases whose outcome is unknown at the end of the file (promise after the last timestamp, still open). */
  unknown: number;
  /** Keep-rate if every unknown outcome were a miss: a lower bound that long promises cannot flatter. */
  keepRateLowerBound: number | null;
  /** Cases scored before any history existed (no recommendation possible). */
  unscored: number;
  cancelled: number;
  kept: number;
  decided: number;
  orgUnknown: number;
  /** Recommender keep-rate and median promise on the cases where the organization promised too. */
  keepRateOnOrgRows: number | null;
  medianPromiseHoursOnOrgRows: number | null;
  calibration: CalibrationRow[];
  categories: (GroupFigures & { category: string })[];
  /** The adaptive levels each category ended on (per target, in `calibration` order) and the outcomes behind them. */
  categoryLevels: { category: string; outcomes: number; levels: number[] }[];
  priorStrengths: number[];
  segments: number;
  firstCreated: string | null;
  lastTimestamp: string | null;
}

/** Min-heap of (time, payload) pairs in typed arrays. */
class EventHeap {
  private t = new Float64Array(1024);
  private p = new Int32Array(1024);
  size = 0;

  push(time: number, payload: number): void {
    if (this.size === this.t.length) {
      const t = new Float64Array(this.size * 2);
      t.set(this.t);
      const p = new Int32Array(this.size * 2);
      p.set(this.p);
      this.t = t;
      this.p = p;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.t[parent] <= time) break;
      this.t[i] = this.t[parent];
      this.p[i] = this.p[parent];
      i = parent;
    }
    this.t[i] = time;
    this.p[i] = payload;
  }

  peekTime(): number {
    return this.size > 0 ? this.t[0] : Infinity;
  }

  pop(): number {
    const top = this.p[0];
    const lastT = this.t[--this.size];
    const lastP = this.p[this.size];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.t[r] < this.t[l] ? r : l;
      if (this.t[c] >= lastT) break;
      this.t[i] = this.t[c];
      this.p[i] = this.p[c];
      i = c;
    }
    this.t[i] = lastT;
    this.p[i] = lastP;
    return top;
  }
}

function median(values: number[], count = values.length): number | null {
  if (count === 0) return null;
  const a = Float64Array.from(values.length === count ? values : values.slice(0, count)).sort();
  const m = count >> 1;
  return count % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

const round = (x: number | null, d = 4) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/**
 * Replays history in time order. At each case's creation the model knows exactly the cases done before
 * it (as events) and the cases open at that moment (censored at their age, refreshed every `epochMs`),
 * recommends a promise at each calibration target, and the case's real outcome decides whether it was
 * kept. A case still open at the end of the file is a miss when the promise had already passed by then,
 * and unknown (left out of the keep-rate, counted in `unknown`) when it had not.
 */
export function evaluate(table: CaseTable, options: EvaluateOptions = {}): EvaluationResult {
  const target = options.target ?? 0.9;
  const targets = [...new Set([...(options.targets ?? CALIBRATION_TARGETS), target])].sort((a, b) => a - b);
  const mainK = targets.indexOf(target);
  const K = targets.length;
  const epochMs = options.epochMs ?? HOUR;
  const model = new ForecastModel(table.levels, { halfLifeDays: options.halfLifeDays ?? 60, referenceTarget: target });
  const gamma = options.gamma ?? DEFAULT_ACI_STEP;
  const byCategory = (options.calibrateBy ?? 'category') === 'category' && table.levels.length > 0;
  const trackers: AdaptiveLevel[][] = [];
  const trackersOf = (g: number): AdaptiveLevel[] => trackers[g] ?? (trackers[g] = targets.map((tg) => new AdaptiveLevel(tg, gamma)));
  const calibrate = options.calibrate ?? true;
  const n = table.n;
  const { created, done, cancelled, score } = table;

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
        const gk = payload >> 1;
        trackersOf(Math.floor(gk / K))[gk % K].update((payload & 1) === 1);
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
      const aci = trackersOf(g);
      for (let k = 0; k < K; k++) {
        const lv = aci[k].level;
        if (scored && late) {
          levelSum[k] += lv;
          levelCount[k]++;
        }
        const q = model.quantileAt(leaf, lv).ms;
        const deadline = t + q;
        if (scored) promiseH[i * K + k] = q / HOUR;
        const d = done[i];
        if (d === d && d <= deadline) {
          if (scored) outcome[i * K + k] = 1;
          heap.push(d, (g * K + k) * 2 + 1);
        } else if (deadline <= fileEnd) {
          if (scored) outcome[i * K + k] = 0;
          heap.push(deadline, (g * K + k) * 2);
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

  // Figures.
  const figures = (rows: number[] | null): GroupFigures & { kept: number; decided: number; unknown: number; orgUnknown: number; keptOrg: number; decidedOrg: number; promOrg: number[] } => {
    let count = 0;
    let scored = 0;
    let kept = 0;
    let decided = 0;
    let unknown = 0;
    const prom: number[] = [];
    let orgKept = 0;
    let orgDecided = 0;
    let orgUnknown = 0;
    let orgRows = 0;
    const orgProm: number[] = [];
    let keptOrg = 0;
    let decidedOrg = 0;
    const promOrg: number[] = [];
    const visit = (i: number) => {
      if (!score[i] || cancelled[i]) return;
      count++;
      const h = promiseH[i * K + mainK];
      const o = outcome[i * K + mainK];
      if (h === h) {
        scored++;
        prom.push(h);
        if (o >= 0) {
          decided++;
          kept += o;
        } else unknown++;
      }
      const due = table.orgDue[i];
      const d = done[i];
      if (due === due) {
        orgRows++;
        orgProm.push((due - created[i]) / HOUR);
        if (d === d && d <= due) {
          orgKept++;
          orgDecided++;
        } else if (due <= fileEnd) orgDecided++;
        else orgUnknown++;
        if (h === h) {
          promOrg.push(h);
          if (o >= 0) {
            decidedOrg++;
            keptOrg += o;
          }
        }
      } else if (table.orgFlag[i] >= 0) {
        orgRows++;
        orgDecided++;
        orgKept += table.orgFlag[i];
      }
    };
    if (rows) rows.forEach(visit);
    else for (let i = 0; i < n; i++) visit(i);
    return {
      rows: count,
      scored,
      keepRate: decided ? round(kept / decided) : null,
      medianPromiseHours: round(median(prom), 2),
      orgKeepRate: orgDecided ? round(orgKept / orgDecided) : null,
      orgMedianPromiseHours: round(median(orgProm), 2),
      orgRows,
      kept,
      decided,
      unknown,
      orgUnknown,
      keptOrg,
      decidedOrg,
      promOrg,
    };
  };

  const all = figures(null);
  const byCat = new Map<number, number[]>();
  if (table.levels.length > 0) {
    for (let i = 0; i < n; i++) {
      if (!score[i] || cancelled[i]) continue;
      const c = table.codes[0][i];
      const list = byCat.get(c);
      if (list) list.push(i);
      else byCat.set(c, [i]);
    }
  }
  const categories = [...byCat.entries()]
    .map(([c, rows]) => {
      const f = figures(rows);
      return {
        category: table.dicts[0][c] || '(none)',
        rows: f.rows,
        scored: f.scored,
        keepRate: f.keepRate,
        medianPromiseHours: f.medianPromiseHours,
        orgKeepRate: f.orgKeepRate,
        orgMedianPromiseHours: f.orgMedianPromiseHours,
        orgRows: f.orgRows,
      };
    })
    .sort((a, b) => b.rows - a.rows);

  const meanFinal = (k: number) => {
    const live = trackers.filter((t) => t !== undefined);
    return live.length ? live.reduce((a, t) => a + t[k].level, 0) / live.length : targets[k];
  };
  const calibration: CalibrationRow[] = targets.map((tg, k) => {
    let kept = 0;
    let decided = 0;
    const prom: number[] = [];
    for (let i = 0; i < n; i++) {
      const h = promiseH[i * K + k];
      if (h !== h) continue;
      prom.push(h);
      const o = outcome[i * K + k];
      if (o >= 0) {
        decided++;
        kept += o;
      }
    }
    return { target: tg, keepRate: decided ? round(kept / decided) : null, decided, medianPromiseHours: round(median(prom), 2), finalLevel: round(meanFinal(k)) as number, meanLevel: round(levelCount[k] ? levelSum[k] / levelCount[k] : tg) as number };
  });

  let cancelledCount = 0;
  let firstCreated = Infinity;
  for (let i = 0; i < n; i++) {
    if (!score[i]) continue;
    if (cancelled[i]) cancelledCount++;
    if (created[i] < firstCreated) firstCreated = created[i];
  }

  return {
    target,
    halfLifeDays: model.halfLifeDays,
    rows: all.rows,
    scored: all.scored,
    keepRate: all.keepRate,
    medianPromiseHours: all.medianPromiseHours,
    orgKeepRate: all.orgKeepRate,
    orgMedianPromiseHours: all.orgMedianPromiseHours,
    orgRows: all.orgRows,
    kept: all.kept,
    decided: all.decided,
    unknown: all.unknown,
    keepRateLowerBound: all.decided + all.unknown ? round(all.kept / (all.decided + all.unknown)) : null,
    unscored,
    cancelled: cancelledCount,
    orgUnknown: all.orgUnknown,
    keepRateOnOrgRows: all.decidedOrg ? round(all.keptOrg / all.decidedOrg) : null,
    medianPromiseHoursOnOrgRows: round(median(all.promOrg), 2),
    calibration,
    categories,
    categoryLevels: byCategory
      ? trackers.flatMap((t, g) => (t ? [{ category: table.dicts[0][g], outcomes: t[mainK].updates, levels: t.map((a) => round(a.level) as number) }] : []))
      : [],
    priorStrengths: model.priorStrengths().map((k) => Math.round(k * 10) / 10),
    segments: model.segmentCount,
    firstCreated: Number.isFinite(firstCreated) ? new Date(firstCreated).toISOString() : null,
    lastTimestamp: Number.isFinite(fileEnd) ? new Date(fileEnd).toISOString() : null,
  };
}
