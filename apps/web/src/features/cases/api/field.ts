import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AttachmentList, CaseDetailResponse, RepromiseRequestList, RepromiseRequestResponse } from '@kept/contracts';
import { apiRequest, buildUrl } from '@/lib/api-client';
import { getSession } from '@/lib/session';
import { caseKeys } from './get-case';

export const fieldKeys = {
  requests: (caseId: string) => ['case', caseId, 'repromise-requests'] as const,
  attachments: (caseId: string) => ['case', caseId, 'attachments'] as const,
};

/** A list answer, checked: anything without `items` is an error, not a crash. */
async function listOf<T extends { items: unknown[] }>(path: string, signal?: AbortSignal): Promise<T> {
  const body = await apiRequest<T>(path, { signal });
  if (!Array.isArray(body?.items)) throw new Error('Unexpected answer from the server');
  return body;
}

export function repromiseRequestsQueryOptions(caseId: string) {
  return queryOptions({
    queryKey: fieldKeys.requests(caseId),
    queryFn: ({ signal }) => listOf<RepromiseRequestList>(`/cases/${caseId}/repromise-requests`, signal),
  });
}

export const useRepromiseRequests = (caseId: string) => useQuery(repromiseRequestsQueryOptions(caseId));

/** Accept (the re-promise is made, at the proposal or her edit) or decline a request of the engineer. */
export function useAnswerRepromiseRequest(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; action: 'accept'; promisedAt?: string; version: number } | { id: string; action: 'decline'; note: string }): Promise<unknown> =>
      a.action === 'accept'
        ? apiRequest<{ request: RepromiseRequestResponse; case: CaseDetailResponse }>(`/repromise-requests/${a.id}/accept`, {
            method: 'POST',
            body: a.promisedAt ? { promisedAt: a.promisedAt } : {},
            headers: { 'If-Match': `W/"${a.version}"` },
          })
        : apiRequest<RepromiseRequestResponse>(`/repromise-requests/${a.id}/decline`, { method: 'POST', body: { note: a.note } }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: fieldKeys.requests(caseId) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(caseId) });
    },
  });
}

export const useAttachments = (caseId: string) =>
  useQuery({
    queryKey: fieldKeys.attachments(caseId),
    queryFn: ({ signal }) => listOf<AttachmentList>(`/cases/${caseId}/attachments`, signal),
  });

/** The file's bytes as an object URL (the API wants the bearer token, which an <img src> cannot send). */
export async function attachmentObjectUrl(id: string, signal?: AbortSignal): Promise<string> {
  const session = getSession();
  const res = await fetch(buildUrl(`/attachments/${id}/content`), {
    headers: session ? { Authorization: `Bearer ${session.accessToken}` } : {},
    signal,
  });
  if (!res.ok) throw new Error(`The file could not be loaded (${res.status})`);
  return URL.createObjectURL(await res.blob());
}
