import type { RiskReason as DomainRiskReason } from '@kept/domain';
import { z } from 'zod';
import type { CaseSummaryResponse } from './cases';
import { caseStatusSchema } from './cases';

/** Statuses on the board: every case not yet closed (satisfied or cancelled). */
export const BOARD_STATUSES = ['open', 'paused', 'fixed'] as const;

/**
 * The board's risk classes, most urgent first. For an open case at `now` (a paused case: at the start of
 * its pause, its clock stands still):
 * - `missed`: its promise or its need has passed (the domain's `promise_overdue` / `need_overdue`);
 * - `at_risk`: otherwise flagged by the domain's `assessRisk` (the remaining work no longer fits, no
 *   promise, a promise after the need) — from the instant the alert planner stored on the case;
 * - `fixed`: otherwise, fixed and waiting for the customer's confirmation;
 * - `on_track`: the rest.
 */
export const RISK_CLASSES = ['missed', 'at_risk', 'on_track', 'fixed'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** The board's order, as the page states it. */
export const BOARD_ORDER_RULE =
  'Missed first — past both promise and need before past one of them — then at risk, on track and fixed; within each, the earliest deadline (promise or need, whichever comes first) first, so the longest overdue and the least time left lead.';

/** The longest text search the board accepts. */
export const BOARD_SEARCH_MAX = 100;

export const BOARD_PAGE_DEFAULT = 100;
export const BOARD_PAGE_MAX = 500;

export const boardQuerySchema = z
  .object({
    status: z
      .string()
      .regex(/^[a-z]+(,[a-z]+)*$/)
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(caseStatusSchema).optional()),
    category: z.string().max(100).optional(),
    customerId: z.uuid().optional(),
    /** The case's assignee (cases.assignee_id). */
    engineerId: z.uuid().optional(),
    /** The case's team (cases.team, set from the assignee's team at assignment). */
    team: z.string().trim().min(1).max(100).optional(),
    /** true: the missed and at-risk classes; false: on track and fixed. */
    atRisk: z.enum(['true', 'false']).optional(),
    /** Only these classes (comma-separated), e.g. `missed,at_risk`. */
    risk: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/)
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(z.enum(RISK_CLASSES)).optional()),
    /**
     * Text search: open cases whose reference (`K-1042`, or the number), summary or customer name contains
     * the text (case-insensitive). At least 2 characters besides a bare number.
     */
    q: z
      .string()
      .trim()
      .max(BOARD_SEARCH_MAX)
      .optional()
      .transform((s) => (s ? s : undefined))
      .refine((s) => s === undefined || s.length >= 2 || /^\d+$/.test(s), { message: 'Search for at least 2 characters (or a case number)' }),
    /** The `nextCursor` of the previous page, as returned. */
    cursor: z.string().min(1).max(500).optional(),
    limit: z.coerce.number().int().min(1).max(BOARD_PAGE_MAX).default(BOARD_PAGE_DEFAULT),
  })
  .strict();
export type BoardQuery = z.infer<typeof boardQuerySchema>;

/**
 * Why the board ranks a case as at risk (any one is enough): the domain's one definition, shared with
 * the at-risk alert (libs/domain/src/risk/risk.ts assessRisk).
 */
export type RiskReason = DomainRiskReason;

export interface BoardItemResponse extends CaseSummaryResponse {
  /** Business minutes from now to promisedAt on the case's calendar (negative when overdue). */
  businessMinutesToPromise: number | null;
  /** Business minutes from now to requiredAt (negative when the need is already missed). */
  businessMinutesToNeed: number | null;
  /** Share of the promise window (opened → promised, business time) already used, 0..1+; null without a promise. */
  promiseWindowUsed: number | null;
  /**
   * The forecast's chance of keeping the current promise and meeting the need (done by whichever comes
   * first), given the case is still open; null without a promise or a forecast, or once fixed. The row
   * shows it only where it agrees with the class (`chanceToKeep` in libs/domain/src/risk/signal.ts).
   */
  keepProbability: number | null;
  atRisk: boolean;
  riskReasons: RiskReason[];
  /** The case's class; the board is sorted by class, then by the earliest deadline. */
  riskClass: RiskClass;
}

/** Open cases per class, exact, for every filter but the class filters (`risk`, `atRisk`). */
export interface BoardCounts {
  missed: number;
  atRisk: number;
  onTrack: number;
  fixed: number;
  total: number;
}

export interface BoardResponse {
  /** The instant the classes and remaining times were measured at (the first page's, kept by its cursor). */
  now: string;
  items: BoardItemResponse[];
  /** The next page's cursor, or null on the last page. */
  nextCursor: string | null;
  counts: BoardCounts;
  /** The order, in words ({@link BOARD_ORDER_RULE}). */
  order: string;
  facets: {
    categories: string[];
    customers: { id: string; name: string }[];
    engineers: { id: string; name: string; team: string | null }[];
    /** Teams of active engineers and of open cases. */
    teams: string[];
  };
}

export interface EngineerAvailabilityResponse {
  id: string;
  name: string;
  team: string | null;
  /** Open (not closed) cases assigned to this engineer. */
  openCases: number;
  /** The soonest open promise among those cases, if any. */
  nextPromiseAt: string | null;
}
