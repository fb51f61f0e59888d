import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CaseDetailResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const caseKeys = {
  detail: (id: string) => ['case', id] as const,
};

export function getCase(id: string, signal?: AbortSignal) {
  return apiRequest<CaseDetailResponse>(`/cases/${id}`, { signal });
}

export function caseQueryOptions(id: string) {
  return queryOptions({ queryKey: caseKeys.detail(id), queryFn: ({ signal }) => getCase(id, signal) });
}

export function useCase(id: string) {
  return useQuery(caseQueryOptions(id));
}
