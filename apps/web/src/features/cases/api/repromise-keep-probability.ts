import { useQuery } from '@tanstack/react-query';
import type { CaseDetailResponse, RecommendationRequest, RecommendationResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const repromiseKeys = {
  keepProbability: (caseId: string, promisedAt: string, now: string) => ['recommendation', 'repromise', caseId, promisedAt, now] as const,
};

function typedKeep(detail: CaseDetailResponse, promisedAt: string, signal?: AbortSignal): Promise<number | null> {
  const request: RecommendationRequest = {
    customerId: detail.customer.id,
    siteId: detail.site?.id,
    contractId: detail.contractId ?? undefined,
    category: detail.category,
    priority: detail.priority,
    openedAt: detail.openedAt,
    requiredAt: detail.requiredAt ?? undefined,
    promisedAt,
  };
  return apiRequest<RecommendationResponse>('/recommendations', { method: 'POST', body: request, signal }).then(
    (r) => r.typed?.keepProbability ?? null,
  );
}

/**
 * The keep-probability of a re-promise, asked of the recommender (POST /recommendations with the typed
 * promisedAt, as the four-step call does) and conditioned on the case still being open now, as the board
 * reads it: P(T ≤ promise | T > now) = (F(promise) − F(now)) / (1 − F(now)). Null when the recommender
 * cannot answer (missing, no history) or the promise is not in the future.
 */
export async function getRepromiseKeepProbability(
  detail: CaseDetailResponse,
  promisedAt: string,
  now: string,
  signal?: AbortSignal,
): Promise<number | null> {
  if (new Date(promisedAt) <= new Date(now)) return null;
  try {
    const [atPromise, atNow] = await Promise.all([typedKeep(detail, promisedAt, signal), typedKeep(detail, now, signal)]);
    if (atPromise === null) return null;
    const fNow = atNow ?? 0;
    if (fNow >= 1) return null;
    const p = (atPromise - fNow) / (1 - fNow);
    return Math.round(Math.min(1, Math.max(0, p)) * 100) / 100;
  } catch {
    return null; // the probability is an extra: the re-promise never waits on the recommender
  }
}

/** The keep-probability for the typed re-promise; disabled until a promise is typed. */
export function useRepromiseKeepProbability(detail: CaseDetailResponse, promisedAt: string | null, now: string) {
  return useQuery({
    queryKey: repromiseKeys.keepProbability(detail.id, promisedAt ?? '', now),
    queryFn: ({ signal }) => getRepromiseKeepProbability(detail, promisedAt as string, now, signal),
    enabled: promisedAt !== null && detail.status !== 'fixed',
    retry: false,
    staleTime: 60_000,
  });
}
