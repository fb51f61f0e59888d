import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertResponse, Page } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export type AlertStateFilter = 'open' | 'acknowledged' | 'all';

export const alertKeys = {
  all: ['alerts'] as const,
  list: (state: AlertStateFilter, caseId?: string) => [...alertKeys.all, { state, caseId: caseId ?? null }] as const,
};

export function getAlerts(state: AlertStateFilter, caseId: string | undefined, signal?: AbortSignal) {
  return apiRequest<Page<AlertResponse>>('/alerts', { query: { state, caseId, limit: 200 }, signal });
}

export function useAlerts(state: AlertStateFilter, caseId?: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: alertKeys.list(state, caseId),
    queryFn: ({ signal }) => getAlerts(state, caseId, signal),
    enabled: options.enabled ?? true,
    // Snoozed alerts come back by themselves: look again every minute besides the live events.
    refetchInterval: 60_000,
  });
}

export function useAlertAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, minutes }: { id: string; action: 'acknowledge' | 'snooze'; minutes?: number }) =>
      apiRequest<AlertResponse>(`/alerts/${id}/${action}`, { method: 'POST', body: action === 'snooze' ? { minutes } : {} }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
