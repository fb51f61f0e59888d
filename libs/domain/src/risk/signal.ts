/**
 * The board's one risk signal: the class of an open case and its rank in the board's order, and the
 * chance to keep that a row may show beside the class without contradicting it.
 *
 * The class comes from the at-risk alert's rule ({@link assessRisk}, stored as `cases.at_risk_at` by the
 * alert planner so SQL can rank every open case); the chance comes from the forecast (history of similar
 * cases, conditioned on the case still being open). Both answer "will we keep it?" from different
 * evidence — the plan's remaining steps against the time left, and the spread of past durations — so they
 * can disagree. The class decides: it is what the alert fires on and what the board is ranked by.
 */

/** The board's classes, most urgent first (the contracts' `RISK_CLASSES` are these). */
export type BoardRiskClass = 'missed' | 'at_risk' | 'on_track' | 'fixed';

/**
 * The ranks of the board's order, most urgent first, and the class each belongs to: a case past both its
 * promise and its need leads (everything the customer was told and needs has passed), then a case past one
 * of them, then the at-risk, on-track and fixed ones. Within a rank, the earliest deadline (promise or need,
 * whichever comes first) first: the longest overdue, or the least time left.
 */
export const BOARD_RANK_CLASSES: readonly BoardRiskClass[] = ['missed', 'missed', 'at_risk', 'on_track', 'fixed'];

export interface BoardRankInput {
  status: string;
  promisedAt: Date | null;
  requiredAt: Date | null;
  /** Now, or the start of an open pause (a paused case's clock stands still). */
  from: Date;
  /** The at-risk alert's verdict ({@link assessRisk}`.atRisk`) at `from`. */
  atRisk: boolean;
}

/**
 * The board rank of an open case (an index into {@link BOARD_RANK_CLASSES}): 0 past both its promise and
 * its need, 1 past one of them, 2 at risk, 3 on track, 4 fixed (and waiting for the customer). The board's
 * SQL computes the same rank from the stored columns; a test holds the two together.
 */
export function boardRank(input: BoardRankInput): number {
  const from = input.from.getTime();
  const passed = (at: Date | null) => at !== null && at.getTime() <= from;
  if (passed(input.promisedAt) && passed(input.requiredAt)) return 0;
  if (passed(input.promisedAt) || passed(input.requiredAt)) return 1;
  if (input.atRisk) return 2;
  return input.status === 'fixed' ? 4 : 3;
}

/** Below this chance a promise is more likely missed than kept. */
export const LIKELY_KEPT = 0.5;

export interface ChanceToKeep {
  /** What the row shows beside its class (0..1), or null: nothing to show. */
  chance: number | null;
  /** The forecast disagrees with the class (then `chance` is null and the row says so instead of a number). */
  disagrees: boolean;
}

/**
 * What a board row may show as the chance to keep, given its class and the forecast's chance of the case
 * being done by its earliest deadline (promise or need) given it is still open:
 *
 * - missed: 0 — a deadline has passed, so the promise and the need cannot both be kept any more;
 * - at risk: the forecast when it is below {@link LIKELY_KEPT} (more likely missed than kept), as the class says;
 * - on track: the forecast when it is at least {@link LIKELY_KEPT}, as the class says;
 * - otherwise (the forecast says the opposite of the class, or there is none, or the case is fixed): no number.
 *   `disagrees` marks the first case so the row can say the history of similar cases reads differently.
 *
 * So a row never shows "on track" beside a low chance, nor "at risk" beside a high one.
 */
export function chanceToKeep(riskClass: BoardRiskClass, forecast: number | null): ChanceToKeep {
  if (riskClass === 'missed') return { chance: 0, disagrees: false };
  if (riskClass === 'fixed' || forecast === null || Number.isNaN(forecast)) return { chance: null, disagrees: false };
  const likely = forecast >= LIKELY_KEPT;
  if (riskClass === 'on_track' ? likely : !likely) return { chance: forecast, disagrees: false };
  return { chance: null, disagrees: true };
}
