import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AnalyticsSummaryResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export interface AnalyticsRange {
  /** Days back from now. */
  days: number;
}

export const analyticsKeys = {
  summary: (range: AnalyticsRange) => ['analytics', 'summary', range] as const,
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
