import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { BoardResponse, RiskClass } from '@kept/contracts';
import { RISK_CLASSES } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

/** The board's filters, as kept in the page URL. Empty strings mean "any". */
export interface BoardFilters {
  /** Text search: reference, summary or customer name (server-side). */
  q: string;
  status: string;
  category: string;
  customerId: string;
  engineerId: string;
  /** Team of the engineer the case was last sent to. */
  team: string;
  atRisk: boolean;
  /** One risk class only (the class chips), or '' for all. */
  riskClass: RiskClass | '';
}

export const EMPTY_BOARD_FILTERS: BoardFilters = {
  q: '',
  status: '',
  category: '',
  customerId: '',
  engineerId: '',
  team: '',
  atRisk: false,
  riskClass: '',
};

export const boardKeys = {
  all: ['board'] as const,
  list: (filters: BoardFilters) => [...boardKeys.all, filters] as const,
};

/** One page of the board; `cursor` is the previous page's nextCursor (it keeps that page's `now`). */
export function getBoard(filters: BoardFilters, cursor?: string | null, signal?: AbortSignal) {
  return apiRequest<BoardResponse>('/board', {
    query: {
      // The API refuses a 1-letter search (400); the field never sends one, a hand-edited URL is ignored.
      q: filters.q.trim().length >= 2 || /^\d+$/.test(filters.q.trim()) ? filters.q.trim() : undefined,
      status: filters.status,
      category: filters.category,
      customerId: filters.customerId,
      engineerId: filters.engineerId,
      team: filters.team,
      atRisk: filters.atRisk ? 'true' : undefined,
      risk: filters.riskClass || undefined,
      cursor: cursor ?? undefined,
    },
    signal,
  });
}

export function boardQueryOptions(filters: BoardFilters) {
  return infiniteQueryOptions({
    queryKey: boardKeys.list(filters),
    queryFn: ({ signal, pageParam }) => getBoard(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: BoardResponse) => last.nextCursor,
    // Time left shrinks even when nothing changes: refresh every minute besides the live events
    // (every page loaded is fetched again, from the first, at a new now).
    refetchInterval: 60_000,
  });
}

/** How many of the collapsible filters (not the search, not the class chips) are set. */
export function activeFilterCount(filters: BoardFilters): number {
  return [filters.status, filters.category, filters.customerId, filters.engineerId, filters.team, filters.atRisk].filter(Boolean).length;
}

/** The board, a page at a time ("Load more" fetches the next one with the cursor). */
export function useBoard(filters: BoardFilters) {
  return useInfiniteQuery({ ...boardQueryOptions(filters), placeholderData: keepPreviousData });
}

export function filtersFromParams(params: URLSearchParams): BoardFilters {
  return {
    q: params.get('q') ?? '',
    status: params.get('status') ?? '',
    category: params.get('category') ?? '',
    customerId: params.get('customer') ?? '',
    engineerId: params.get('engineer') ?? '',
    team: params.get('team') ?? '',
    atRisk: params.get('risk') === '1',
    riskClass: (RISK_CLASSES as readonly string[]).includes(params.get('class') ?? '') ? (params.get('class') as RiskClass) : '',
  };
}

export function filtersToParams(filters: BoardFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.status) params.set('status', filters.status);
  if (filters.category) params.set('category', filters.category);
  if (filters.customerId) params.set('customer', filters.customerId);
  if (filters.engineerId) params.set('engineer', filters.engineerId);
  if (filters.team) params.set('team', filters.team);
  if (filters.atRisk) params.set('risk', '1');
  if (filters.riskClass) params.set('class', filters.riskClass);
  return params;
}
