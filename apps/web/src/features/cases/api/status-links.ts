import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedStatusLink, CreateStatusLinkRequest, StatusLink, StatusLinkList } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const statusLinkKeys = {
  ofCase: (caseId: string) => ['case', caseId, 'status-links'] as const,
};

export async function getStatusLinks(caseId: string, signal?: AbortSignal): Promise<StatusLinkList> {
  const body = await apiRequest<StatusLinkList>(`/cases/${caseId}/status-links`, { signal });
  if (!Array.isArray(body?.items)) throw new Error('Unexpected answer for the status links');
  return body;
}

export function statusLinksQueryOptions(caseId: string) {
  return queryOptions({
    queryKey: statusLinkKeys.ofCase(caseId),
    queryFn: ({ signal }) => getStatusLinks(caseId, signal),
  });
}

export function useStatusLinks(caseId: string) {
  return useQuery(statusLinksQueryOptions(caseId));
}

/** Makes a link; the answer carries the only copy of its URL. Retry-safe with an Idempotency-Key. */
export function createStatusLink(caseId: string, body: CreateStatusLinkRequest, idempotencyKey: string) {
  return apiRequest<CreatedStatusLink>(`/cases/${caseId}/status-links`, {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function useCreateStatusLink(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateStatusLinkRequest) =>
      createStatusLink(caseId, body, globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`),
    onSuccess: () =>
      void queryClient.invalidateQueries({
        queryKey: statusLinkKeys.ofCase(caseId),
      }),
  });
}

export function useRevokeStatusLink(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<StatusLink>(`/status-links/${id}/revoke`, { method: 'POST' }),
    onSuccess: () =>
      void queryClient.invalidateQueries({
        queryKey: statusLinkKeys.ofCase(caseId),
      }),
  });
}
