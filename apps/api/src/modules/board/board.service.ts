import { Injectable, Logger } from '@nestjs/common';
import type { BoardQuery, BoardResponse, CaseStatus, EngineerAvailabilityResponse } from '@kept/contracts';
import { BOARD_ORDER_RULE, BOARD_STATUSES } from '@kept/contracts';
import { BOARD_RANK_CLASSES } from '@kept/domain';
import { Clock } from '../../common/clock';
import { AlertPlanner } from '../alerts';
import type { CaseEntity } from '../cases';
import { CaseRepository } from '../cases';
import { ForecastService } from '../forecast';
import { BoardException, BoardExceptionCode } from './board.exception';
import { decodeBoardCursor, encodeBoardCursor } from './board.cursor';
import { classOfRank, toBoardCounts, toBoardItem } from './board.mapper';
import { BoardFilter, BoardRepository } from './board.repository';

/** The board ranks a query asks for (`risk` and `atRisk` together), or null for every class. */
function ranksOf(query: BoardQuery): number[] | null {
  let classes: string[] | null = query.risk ?? null;
  if (query.atRisk) {
    const byFlag = query.atRisk === 'true' ? ['missed', 'at_risk'] : ['on_track', 'fixed'];
    classes = classes ? classes.filter((c) => byFlag.includes(c)) : byFlag;
  }
  return classes ? BOARD_RANK_CLASSES.flatMap((c, i) => (classes.includes(c) ? [i] : [])) : null;
}

@Injectable()
export class BoardService {
  constructor(
    private readonly board: BoardRepository,
    private readonly cases: CaseRepository,
    private readonly clock: Clock,
    private readonly forecast: ForecastService,
    private readonly planner: AlertPlanner,
  ) {}

  private readonly logger = new Logger('BoardService');

  /**
   * The chance of keeping the promise and meeting the need: the forecast's keep-probability at whichever
   * comes first (a promise after the need is kept with the need only when done by the need).
   * The forecast is an extra: the board never fails because of it (every case then reads null).
   */
  private async keepProbabilities(entities: CaseEntity[], now: Date): Promise<Map<string, number | null>> {
    const byEarliestDeadline = entities.map((c) => ({
      id: c.id,
      siteId: c.siteId,
      contractId: c.contractId,
      category: c.category,
      priority: c.priority,
      status: c.status,
      openedAt: c.openedAt,
      promisedAt: c.promisedAt && c.requiredAt && c.requiredAt.getTime() < c.promisedAt.getTime() ? c.requiredAt : c.promisedAt,
    }));
    try {
      return await this.forecast.keepProbabilities(byEarliestDeadline, now);
    } catch (err) {
      this.logger.warn({ err }, 'keep-probabilities unavailable; the board shows none');
      return new Map();
    }
  }

  /**
   * One page of the board, most urgent first (the domain's boardRank, then the earliest deadline, then id),
   * with exact counts per class for the filters and, on the first page, the facets. Every page after the
   * first classifies at the first page's `now`, carried by the cursor. The per-case work (business time,
   * reasons, keep-probability, assignee) is done for the page only, in batched reads.
   */
  async page(query: BoardQuery): Promise<BoardResponse> {
    const after = query.cursor ? decodeBoardCursor(query.cursor) : null;
    if (query.cursor && !after) {
      throw new BoardException(BoardExceptionCode.INVALID_BOARD_CURSOR, 'Use the nextCursor value of a previous page as it was returned');
    }
    const now = after?.now ?? this.clock.now();
    const statuses = (query.status ?? [...BOARD_STATUSES]).filter((s): s is CaseStatus => (BOARD_STATUSES as readonly string[]).includes(s));
    const filter: BoardFilter = {
      statuses,
      ranks: ranksOf(query),
      category: query.category,
      customerId: query.customerId,
      engineerId: query.engineerId,
      team: query.team,
      search: query.q,
    };
    const empty = statuses.length === 0 || filter.ranks?.length === 0;
    const limit = query.limit;
    const rows = empty ? [] : await this.board.page(filter, now, after, limit + 1);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor = rows.length > limit && last ? encodeBoardCursor({ now, rank: last.rank, deadline: last.deadline, id: last.id }) : null;
    const counts = toBoardCounts(
      statuses.length === 0 ? { missed: 0, at_risk: 0, on_track: 0, fixed: 0 } : await this.board.counts({ ...filter, ranks: null }, now),
    );

    const entities = await this.board.cases(pageRows.map((r) => r.id));
    const ids = entities.map((c) => c.id);
    const data = {
      bundle: await this.cases.bundle(entities),
      keep: await this.keepProbabilities(entities, now),
      reached: await this.board.milestonesReached(ids),
      breakdowns: await this.board.currentBreakdowns(ids),
      expected: await this.planner.expectedStepMinutes([...new Set(entities.map((c) => c.category))]),
    };
    const rankOf = new Map(pageRows.map((r) => [r.id, r.rank]));
    const items = entities.map((c) => toBoardItem(c, classOfRank(rankOf.get(c.id) ?? 3), data, now));
    return { now: now.toISOString(), items, nextCursor, counts, order: BOARD_ORDER_RULE, facets: await this.facets(!after) };
  }

  /** Facets on the first page only (later pages answer empty lists: the client keeps the first page's). */
  private async facets(first: boolean): Promise<BoardResponse['facets']> {
    if (!first) return { categories: [], customers: [], engineers: [], teams: [] };
    const facets = await this.board.facets();
    const engineerRows = await this.board.activeEngineers();
    const engineers = engineerRows.map((e) => ({ id: e.id, name: e.name, team: e.team ?? null }));
    // Teams of active engineers and of open cases (a case's team may be set apart from its assignee's).
    const teams = [...new Set([...engineerRows.map((e) => e.team), ...facets.teams].filter((t): t is string => Boolean(t)))].sort((x, y) =>
      x.localeCompare(y),
    );
    return { ...facets, engineers, teams };
  }

  async engineers(): Promise<EngineerAvailabilityResponse[]> {
    return (await this.board.engineers()).map((e) => ({
      id: e.id,
      name: e.name,
      team: e.team ?? null,
      openCases: e.open_cases,
      nextPromiseAt: e.next_promise_at ? new Date(e.next_promise_at).toISOString() : null,
    }));
  }
}
