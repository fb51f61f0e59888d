import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  CaseDetailResponse,
  PauseRequest,
  RecordMilestoneRequest,
  RepromiseRequest,
  TransitionRequest,
} from '@kept/contracts';
import { ApiError, apiRequest } from '@/lib/api-client';
import { caseKeys } from './get-case';

export type CaseAction =
  | { kind: 'promise'; body: Omit<RepromiseRequest, 'version'> }
  | { kind: 'pause'; body: Omit<PauseRequest, 'version'> }
  | { kind: 'resume'; body: Omit<TransitionRequest, 'version'> }
  | { kind: 'milestones'; body: Omit<RecordMilestoneRequest, 'version'> }
  | { kind: 'fixed'; body: Omit<TransitionRequest, 'version'> }
  | { kind: 'satisfied'; body: Omit<TransitionRequest, 'version'> }
  | { kind: 'cancel'; body: Omit<TransitionRequest, 'version'> };

/** Sends one change with the version last read (`If-Match`), so a stale page cannot overwrite a newer change. */
export function postCaseAction(id: string, version: number, action: CaseAction) {
  return apiRequest<CaseDetailResponse>(`/cases/${id}/${action.kind}`, {
    method: 'POST',
    body: action.body,
    headers: { 'If-Match': `W/"${version}"` },
  });
}

export function isStale(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 412 || error.status === 409);
}

export function useCaseAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, action }: { version: number; action: CaseAction }) => postCaseAction(id, version, action),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ['board'] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      // A re-promise, pause or closing reschedules or cancels the case's alerts.
      void queryClient.invalidateQueries({ queryKey: ['alerts'] });
    },
    onError: (error) => {
      // Someone else changed the case: show the current state so the user can decide again.
      if (isStale(error)) void queryClient.invalidateQueries({ queryKey: caseKeys.detail(id) });
    },
  });
}
