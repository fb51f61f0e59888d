import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  type AttachmentResponse,
  type MilestoneKind,
  type ProblemDetails,
  type RepromiseRequestList,
  type RepromiseRequestResponse,
} from '@kept/contracts';
import { ApiError, apiRequest, buildUrl, NetworkError } from '@/lib/api-client';
import { getSession } from '@/lib/session';

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

/** Sends the file itself as the body, with its type; the milestone and note go in the query. */
export function useUploadAttachment(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, milestone, note }: { file: File; milestone: MilestoneKind | null; note: string }) => {
      const session = getSession();
      let res: Response;
      try {
        res = await fetch(buildUrl(`/cases/${caseId}/attachments`, { milestone, note: note.trim() || undefined, fileName: file.name.slice(0, 255) }), {
          method: 'POST',
          headers: { 'Content-Type': file.type, ...(session ? { Authorization: `Bearer ${session.accessToken}` } : {}) },
          body: file,
        });
      } catch (error) {
        throw new NetworkError(error);
      }
      const body = (await res.json().catch(() => null)) as unknown;
      if (!res.ok) throw new ApiError(res.status, (body as ProblemDetails | null) ?? null, `Upload failed (${res.status}).`);
      return body as AttachmentResponse;
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: engineerFieldKeys.attachments(caseId) }),
  });
}
