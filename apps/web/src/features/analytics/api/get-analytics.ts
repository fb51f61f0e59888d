import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AnalyticsSummaryResponse, StressAnalyticsResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export interface AnalyticsRange {
  /** Days back from now. */
  days: number;
}

export const analyticsKeys = {
  summary: (range: AnalyticsRange) => ['analytics', 'summary', range] as const,
  stress: (range: AnalyticsRange) => ['analytics', 'stress', range] as const,
};

export function analyticsQueryOptions(range: AnalyticsRange) {
  return queryOptions({
    queryKey: analyticsKeys.summary(range),
    queryFn: ({ signal }) =>
      apiRequest<AnalyticsSummaryResponse>('/analytics/summary', {
        query: { from: new Date(Date.now() - range.days * 86_400_000).toISOString() },
        signal,
      }),
  });
}

export function useAnalytics(range: AnalyticsRange) {
  return useQuery(analyticsQueryOptions(range));
}

export function stressAnalyticsQueryOptions(range: AnalyticsRange) {
  return queryOptions({
    queryKey: analyticsKeys.stress(range),
    queryFn: ({ signal }) =>
      apiRequest<StressAnalyticsResponse>('/analytics/stress', {
        query: { from: new Date(Date.now() - range.days * 86_400_000).toISOString() },
        signal,
      }),
  });
}

/** Keep-rate, gaps and CSAT by the customer's stress level. */
export function useStressAnalytics(range: AnalyticsRange) {
  return useQuery(stressAnalyticsQueryOptions(range));
}
