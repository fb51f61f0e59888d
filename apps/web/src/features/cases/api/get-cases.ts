import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { CaseStatus, CaseSummaryResponse, Page } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const CASES_PAGE_SIZE = 50;

export interface CasesFilters {
  /** Statuses to include; null means any status. */
  statuses: readonly CaseStatus[] | null;
  /** Free-text search over reference, customer and summary. */
  q: string;
}

export const casesKeys = {
  all: ['cases'] as const,
  lists: () => [...casesKeys.all, 'list'] as const,
  list: (filters: CasesFilters) =>
    [...casesKeys.lists(), { statuses: filters.statuses?.join(',') ?? null, q: filters.q }] as const,
};

export interface GetCasesParams extends CasesFilters {
  cursor?: string | null;
  limit?: number;
  signal?: AbortSignal;
}

export function getCases({ statuses, q, cursor, limit = CASES_PAGE_SIZE, signal }: GetCasesParams) {
  return apiRequest<Page<CaseSummaryResponse>>('/cases', {
    query: { limit, cursor, status: statuses?.join(','), q: q.trim() || undefined },
    signal,
  });
}

export function casesInfiniteQueryOptions(filters: CasesFilters) {
  return infiniteQueryOptions({
    queryKey: casesKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getCases({ ...filters, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** Cases newest opened first, a page at a time; keeps the previous list on screen while filters change. */
export function useCases(filters: CasesFilters) {
  return useInfiniteQuery({ ...casesInfiniteQueryOptions(filters), placeholderData: keepPreviousData });
}
