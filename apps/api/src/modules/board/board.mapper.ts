import type { BoardCounts, BoardItemResponse, PromiseBreakdown, RiskClass } from '@kept/contracts';
import { assessRisk, BOARD_RANK_CLASSES, businessTimeBetween, type ExpectedStepMinutes, remainingWork } from '@kept/domain';
import { calendarOf, toCaseSummary, toDomainPauses } from '../cases';
import type { CaseBundle, CaseEntity } from '../cases';
import type { BoardCountRow } from './board.repository';

/** What the page's items are built from, each read once for the whole page. */
export interface BoardPageData {
  bundle: CaseBundle;
  keep: Map<string, number | null>;
  reached: Map<string, string[]>;
  breakdowns: Map<string, PromiseBreakdown>;
  expected: Map<string | null, ExpectedStepMinutes>;
}

/** The class of a board rank (the domain's boardRank; SQL computes it in board.repository's RANK). */
export const classOfRank = (rank: number): RiskClass => BOARD_RANK_CLASSES[rank];

export const toBoardCounts = (row: BoardCountRow): BoardCounts => ({
  missed: row.missed,
  atRisk: row.at_risk,
  onTrack: row.on_track,
  fixed: row.fixed,
  total: row.missed + row.at_risk + row.on_track + row.fixed,
});

/**
 * One board item: the case's summary, the business time left on its own clock (a paused case's stands
 * still at the start of its pause), its risk reasons from the domain's assessRisk, and its class from SQL.
 */
export function toBoardItem(c: CaseEntity, riskClass: RiskClass, data: BoardPageData, now: Date): BoardItemResponse {
  const { calendar } = calendarOf(c, data.bundle);
  const pauses = toDomainPauses(data.bundle.pauses.get(c.id));
  const openPause = c.status === 'paused' ? pauses.find((p) => p.to === null) : undefined;
  const from = openPause ? openPause.from : now;
  const closedPauses = pauses.filter((p) => p.to !== null);
  const toPromise = c.promisedAt ? businessTimeBetween(from, c.promisedAt, calendar, closedPauses) : null;
  const toNeed = c.requiredAt ? businessTimeBetween(from, c.requiredAt, calendar, closedPauses) : null;
  const window = c.promisedAt ? businessTimeBetween(c.openedAt, c.promisedAt, calendar, pauses) : null;
  const used = window !== null && window > 0 && toPromise !== null ? (window - toPromise) / window : null;
  const remaining = remainingWork(data.reached.get(c.id) ?? [], data.expected.get(c.category) ?? {}, data.breakdowns.get(c.id) ?? null, c.status);
  const risk = assessRisk({
    status: c.status,
    promisedAt: c.promisedAt,
    requiredAt: c.requiredAt,
    from,
    businessMinutesToPromise: toPromise,
    businessMinutesToNeed: toNeed,
    remaining,
  });
  const p = data.keep.get(c.id) ?? null;
  return {
    ...toCaseSummary(c, data.bundle, now),
    businessMinutesToPromise: toPromise === null ? null : Math.round(toPromise),
    businessMinutesToNeed: toNeed === null ? null : Math.round(toNeed),
    promiseWindowUsed: used === null ? null : Math.round(used * 1000) / 1000,
    keepProbability: p === null ? null : Math.round(p * 100) / 100,
    atRisk: risk.atRisk,
    riskReasons: risk.reasons,
    riskClass,
  };
}
