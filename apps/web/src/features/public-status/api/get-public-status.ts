import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PublicCaseStatus } from '@kept/contracts';
import { ApiError, apiRequest } from '@/lib/api-client';

export const publicStatusKeys = {
  byToken: (token: string) => ['public-status', token] as const,
};

/** No session: the token in the path is the only credential. */
export function getPublicStatus(token: string, signal?: AbortSignal) {
  return apiRequest<PublicCaseStatus>(`/public/status/${encodeURIComponent(token)}`, { signal, authenticated: false });
}

export function publicStatusQueryOptions(token: string) {
  return queryOptions({
    queryKey: publicStatusKeys.byToken(token),
    queryFn: ({ signal }) => getPublicStatus(token, signal),
    // An invalid link stays invalid; a rate limit is not helped by retrying at once.
    retry: (failures, error) =>
      !(error instanceof ApiError && (error.status === 404 || error.status === 429)) && failures < 2,
    refetchOnWindowFocus: true,
  });
}

export function usePublicStatus(token: string) {
  return useQuery(publicStatusQueryOptions(token));
}
