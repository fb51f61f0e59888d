import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BoardResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

/** The board's filters, as kept in the page URL. Empty strings mean "any". */
export interface BoardFilters {
  status: string;
  category: string;
  customerId: string;
  engineerId: string;
  /** Team of the engineer the case was last sent to. */
  team: string;
  atRisk: boolean;
}

export const EMPTY_BOARD_FILTERS: BoardFilters = { status: '', category: '', customerId: '', engineerId: '', team: '', atRisk: false };

export const boardKeys = {
  all: ['board'] as const,
  list: (filters: BoardFilters) => [...boardKeys.all, filters] as const,
};

export function getBoard(filters: BoardFilters, signal?: AbortSignal) {
  return apiRequest<BoardResponse>('/board', {
    query: {
      status: filters.status,
      category: filters.category,
      customerId: filters.customerId,
      engineerId: filters.engineerId,
      team: filters.team,
      atRisk: filters.atRisk ? 'true' : undefined,
    },
    signal,
  });
}

export function boardQueryOptions(filters: BoardFilters) {
  return queryOptions({
    queryKey: boardKeys.list(filters),
    queryFn: ({ signal }) => getBoard(filters, signal),
    // Time left shrinks even when nothing changes: refresh every minute besides the live events.
    refetchInterval: 60_000,
  });
}

export function useBoard(filters: BoardFilters) {
  return useQuery({ ...boardQueryOptions(filters), placeholderData: keepPreviousData });
}

export function filtersFromParams(params: URLSearchParams): BoardFilters {
  return {
    status: params.get('status') ?? '',
    category: params.get('category') ?? '',
    customerId: params.get('customer') ?? '',
    engineerId: params.get('engineer') ?? '',
    team: params.get('team') ?? '',
    atRisk: params.get('risk') === '1',
  };
}

export function filtersToParams(filters: BoardFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.category) params.set('category', filters.category);
  if (filters.customerId) params.set('customer', filters.customerId);
  if (filters.engineerId) params.set('engineer', filters.engineerId);
  if (filters.team) params.set('team', filters.team);
  if (filters.atRisk) params.set('risk', '1');
  return params;
}
