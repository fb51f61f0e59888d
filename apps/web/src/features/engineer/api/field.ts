import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  type RepromiseRequestList,
  type RepromiseRequestResponse,
} from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const engineerFieldKeys = {
  requests: (caseId: string) => ['case', caseId, 'repromise-requests'] as const,
  attachments: (caseId: string) => ['case', caseId, 'attachments'] as const,
};

export const useMyRepromiseRequests = (caseId: string) =>
  useQuery({
    queryKey: engineerFieldKeys.requests(caseId),
    queryFn: async ({ signal }) => {
      const body = await apiRequest<RepromiseRequestList>(`/cases/${caseId}/repromise-requests`, { signal });
      if (!Array.isArray(body?.items)) throw new Error('Unexpected answer from the server');
      return body;
    },
  });

/** He asks dispatch for a new promise: the time he can keep and why (needs a connection). */
export function useAskRepromise(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { proposedAt: string; reason: string }) =>
      apiRequest<RepromiseRequestResponse>(`/cases/${caseId}/repromise-requests`, {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': `ask-${globalThis.crypto?.randomUUID?.() ?? Date.now()}` },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: engineerFieldKeys.requests(caseId) }),
  });
}

/** Why a file cannot be sent, before sending it; null when it can. */
export function fileProblem(file: File): string | null {
  if (!(ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(file.type)) return 'Only photos (JPEG, PNG, WebP, HEIC) or a PDF.';
  if (file.size > ATTACHMENT_MAX_BYTES) return `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; at most 10 MB.`;
  if (file.size === 0) return 'The file is empty.';
  return null;
}

