import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AssignCaseRequest, CaseDetailResponse, EngineerAvailabilityResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';
import { caseKeys } from './get-case';
import { isStale } from './case-actions';

export const assignmentKeys = {
  /** The same list the four-step call reads (GET /board/engineers): one cache entry. */
  engineers: ['board', 'engineers'] as const,
};

/** Active engineers, the people a case can be assigned to, with their open cases. */
export function useAssignableEngineers() {
  return useQuery({
    queryKey: assignmentKeys.engineers,
    queryFn: ({ signal }) => apiRequest<EngineerAvailabilityResponse[]>('/board/engineers', { signal }),
  });
}

/** PUT /cases/:id/assignment with the version last read (`If-Match`). */
export function putAssignment(id: string, version: number, body: Omit<AssignCaseRequest, 'version'>) {
  return apiRequest<CaseDetailResponse>(`/cases/${id}/assignment`, {
    method: 'PUT',
    body,
    headers: { 'If-Match': `W/"${version}"` },
  });
}

export function useAssignCase(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: Omit<AssignCaseRequest, 'version'> }) => putAssignment(id, version, body),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ['board'] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
    onError: (error) => {
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: caseKeys.detail(id) });
    },
  });
}
