import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AcknowledgeCaseAlertsResponse, AlertResponse, Page } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export type AlertStateFilter = 'open' | 'acknowledged' | 'all';
/** `me`: the alerts addressed to the signed-in user (her role, her team, her cases); `all`: the tenant's. */
export type AlertScope = 'me' | 'all';

export const alertKeys = {
  all: ['alerts'] as const,
  list: (state: AlertStateFilter, caseId?: string, scope: AlertScope = 'all') =>
    [...alertKeys.all, { state, caseId: caseId ?? null, for: scope }] as const,
};

export function getAlerts(state: AlertStateFilter, caseId: string | undefined, scope: AlertScope, signal?: AbortSignal) {
  return apiRequest<Page<AlertResponse>>('/alerts', { query: { state, caseId, limit: 200, for: scope === 'me' ? 'me' : undefined }, signal });
}

export function useAlerts(state: AlertStateFilter, caseId?: string, options: { enabled?: boolean; scope?: AlertScope } = {}) {
  const scope = options.scope ?? 'all';
  return useQuery({
    queryKey: alertKeys.list(state, caseId, scope),
    queryFn: ({ signal }) => getAlerts(state, caseId, scope, signal),
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

/**
 * "Acknowledge all for this case": the open alerts the inbox shows for one case, together (all or
 * nothing on the server). The ids shown are sent, so an alert that fired meanwhile is not acknowledged unseen.
 */
export function useAcknowledgeCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, alertIds }: { caseId: string; alertIds: string[] }) =>
      apiRequest<AcknowledgeCaseAlertsResponse>('/alerts/acknowledge', {
        method: 'POST',
        body: { caseId, alertIds },
        headers: { 'Idempotency-Key': globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}` },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
