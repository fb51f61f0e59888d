import { useQuery } from '@tanstack/react-query';
import type { CaseDetailResponse, KeepProbabilityResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const keepProbabilityKeys = {
  repromise: (caseId: string, version: number, promisedAt: string) => ['case', caseId, 'keep-probability', version, promisedAt] as const,
};

/**
 * The keep-probability a re-promise at `promisedAt` would be stored with, as the server computes it
 * (POST /cases/:id/keep-probability: the forecast's figure given the case is still open now). Null when
 * the forecast has none.
 */
export function getKeepProbability(caseId: string, promisedAt: string, signal?: AbortSignal): Promise<number | null> {
  return apiRequest<KeepProbabilityResponse>(`/cases/${caseId}/keep-probability`, { method: 'POST', body: { promisedAt }, signal }).then(
    (r) => r.keepProbability ?? null,
  );
}

/** The keep-probability of the typed re-promise; disabled until a promise is typed, and for a fixed case. */
export function useRepromiseKeepProbability(detail: CaseDetailResponse, promisedAt: string | null) {
  return useQuery({
    queryKey: keepProbabilityKeys.repromise(detail.id, detail.version, promisedAt ?? ''),
    queryFn: ({ signal }) => getKeepProbability(detail.id, promisedAt as string, signal),
    enabled: promisedAt !== null && detail.status !== 'fixed',
    retry: false,
    staleTime: 60_000,
  });
}
