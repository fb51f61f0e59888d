import type { CaseTable } from './case-table';
import { pinballTerm } from './pinball';
import { replay } from './replay';

const HOUR = 3_600_000;

export interface LevelSelectionOptions {
  /** The quantile whose pinball loss decides (the recommender's target; default 0.9). */
  target?: number;
  halfLifeDays?: number;
  /** Re-censoring interval of the selection replays (default 6 h: coarser than the evaluation, same ranking). */
  epochMs?: number;
  /** Levels that may be chosen, in the order tried on ties (default: every level of the table). */
  candidates?: readonly string[];
  /** At most this many levels below "all cases" (default 4). */
  maxLevels?: number;
  /**
   * A level is added only when its gain is this many standard errors above zero (default 2): the gain is
   * the mean per-case loss difference, its error from `blocks` consecutive blocks of cases in time (so
   * that a run of correlated cases — one busy week — counts once, not once per case).
   */
  z?: number;
  blocks?: number;
  /** Share of the history (by creation time) only learned from before the losses count (default 0.5). */
  burnIn?: number;
  /** History rows (not cancelled) below which nothing is selected and `fallback` is returned (default 300). */
  minHistory?: number;
  /** The levels when the history is too short to choose (default: none, i.e. all cases pooled). */
  fallback?: readonly string[];
}

export interface LevelTrial {
  levels: string[];
  /** Mean pinball loss of the target quantile, hours per case, on the history's scored part. */
  pinballLoss: number | null;
  cases: number;
}

export interface LevelStep {
  added: string;
  /** Mean gain per case over the previous levels (hours) and its standard error. */
  gain: number;
  standardError: number;
  accepted: boolean;
}

export interface LevelSelection {
  levels: string[];
  /** Why these levels: `selected` on the history; `fallback` when the history was too short. */
  method: 'selected' | 'fallback';
  historyRows: number;
  /** History cases whose loss counted (after the burn-in). */
  scoredRows: number;
  trials: LevelTrial[];
  steps: LevelStep[];
}

/**
 * Chooses the segment levels of the model by forward selection on the pinball loss of the target quantile,
 * using the history part of `table` only (rows with `score` 0: the `--history` file or the rows before
 * `--score-from`) — never the part that will be scored.
 *
 * The history is replayed as `kept evaluate` replays (each case recommended from what was known at its
 * creation), uncalibrated, its first `burnIn` share learned only; every candidate ordering's per-case
 * losses are kept. Starting from "all cases pooled", each step tries every remaining level appended below
 * the current ones (a level under another is their composite: seller under customer state is the route)
 * and adds the best when its gain is `z` standard errors above zero; else it stops. Levels that only add
 * noise lose: with few cases per segment the pooled curves are no better and the gain is not significant.
 */
export function selectLevels(table: CaseTable, options: LevelSelectionOptions = {}): LevelSelection {
  const target = options.target ?? 0.9;
  const candidates = [...(options.candidates ?? table.levels)];
  for (const c of candidates) table.levelIndex(c);
  const maxLevels = options.maxLevels ?? 4;
  const z = options.z ?? 2;
  const blocks = options.blocks ?? 20;
  const fallback = [...(options.fallback ?? [])];
  for (const c of fallback) table.levelIndex(c);

  const rows: number[] = [];
  let live = 0;
  for (let i = 0; i < table.n; i++) {
    if (table.score[i]) continue;
    rows.push(i);
    if (!table.cancelled[i]) live++;
  }
  const result = (levels: string[], method: LevelSelection['method'], scoredRows = 0): LevelSelection => ({ levels, method, historyRows: rows.length, scoredRows, trials, steps });
  const trials: LevelTrial[] = [];
  const steps: LevelStep[] = [];
  if (live < (options.minHistory ?? 300)) return result(fallback, 'fallback');

  rows.sort((a, b) => table.created[a] - table.created[b] || a - b);
  const cut = table.created[rows[Math.min(rows.length - 1, Math.floor(rows.length * (options.burnIn ?? 0.5)))]];
  const sub = table.subset(Int32Array.from(rows), (i) => table.created[i] >= cut);
  // Cases of the subset in creation order (the blocks of the standard error are runs of these).
  const order = Array.from({ length: sub.n }, (_, r) => r).filter((r) => sub.score[r] && !sub.cancelled[r]);

  const lossesOf = (levels: string[]): Float64Array => {
    const rp = replay(sub.withLevels(levels), { target, targets: [target], calibrate: false, honest: false, halfLifeDays: options.halfLifeDays, epochMs: options.epochMs ?? 6 * HOUR });
    const out = new Float64Array(order.length);
    let sum = 0;
    let cases = 0;
    order.forEach((r, j) => {
      const l = pinballTerm(target, rp.promiseH[r * rp.K + rp.mainK], sub.created[r], sub.done[r], rp.fileEnd);
      out[j] = l;
      if (l === l) {
        sum += l;
        cases++;
      }
    });
    trials.push({ levels, pinballLoss: cases ? Math.round((sum / cases) * 1000) / 1000 : null, cases });
    return out;
  };

  let current: string[] = [];
  let currentLoss = lossesOf(current);
  const usable = candidates.filter((c) => sub.distinct(c) > 1);
  while (current.length < maxLevels) {
    const remaining = usable.filter((c) => !current.includes(c));
    if (remaining.length === 0) break;
    let best: { level: string; losses: Float64Array; gain: number; se: number } | null = null;
    for (const level of remaining) {
      const losses = lossesOf([...current, level]);
      const { mean, se } = pairedGain(currentLoss, losses, blocks);
      if (best === null || mean > best.gain) best = { level, losses, gain: mean, se };
    }
    if (best === null) break;
    const accepted = best.gain > 0 && best.gain > z * best.se;
    steps.push({ added: best.level, gain: round(best.gain), standardError: round(best.se), accepted });
    if (!accepted) break;
    current = [...current, best.level];
    currentLoss = best.losses;
  }
  return result(current, 'selected', order.length);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Mean per-case gain `before − after` over the cases where both losses are known, and its standard error
 * from the means of `blocks` consecutive blocks (batch means: robust to correlation between nearby cases).
 */
export function pairedGain(before: Float64Array, after: Float64Array, blocks: number): { mean: number; se: number } {
  const d: number[] = [];
  for (let j = 0; j < before.length; j++) {
    const a = before[j];
    const b = after[j];
    if (a === a && b === b) d.push(a - b);
  }
  if (d.length === 0) return { mean: 0, se: Infinity };
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const B = Math.min(blocks, d.length);
  if (B < 2) return { mean, se: Infinity };
  const means: number[] = [];
  for (let b = 0; b < B; b++) {
    const lo = Math.floor((b * d.length) / B);
    const hi = Math.floor(((b + 1) * d.length) / B);
    let s = 0;
    for (let j = lo; j < hi; j++) s += d[j];
    means.push(s / (hi - lo));
  }
  const m = means.reduce((s, x) => s + x, 0) / B;
  const v = means.reduce((s, x) => s + (x - m) ** 2, 0) / (B - 1);
  return { mean, se: Math.sqrt(v / B) };
}
