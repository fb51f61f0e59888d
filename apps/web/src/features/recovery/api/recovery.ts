import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CaseGoodwill,
  CaseOptionsRecord,
  CaseOptionsRequest,
  CreateOfferRequest,
  CreateRootCauseRequest,
  GoodwillAnalytics,
  GoodwillOffer,
  GoodwillSettingsResponse,
  OfferList,
  RootCause,
  RootCauseAnalytics,
  RootCauseQueue,
} from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const recoveryKeys = {
  all: ['recovery'] as const,
  goodwill: (caseId: string) => ['recovery', 'case', caseId, 'goodwill'] as const,
  rootCause: (caseId: string) => ['recovery', 'case', caseId, 'root-cause'] as const,
  settings: ['recovery', 'settings'] as const,
  approvals: ['recovery', 'approvals'] as const,
  rootCauseAnalytics: ['recovery', 'root-cause-analytics'] as const,
  queue: ['recovery', 'queue'] as const,
  goodwillAnalytics: ['recovery', 'goodwill-analytics'] as const,
};

export const caseGoodwillQuery = (caseId: string) =>
  queryOptions({ queryKey: recoveryKeys.goodwill(caseId), queryFn: ({ signal }) => apiRequest<CaseGoodwill>(`/cases/${caseId}/goodwill`, { signal }) });
export const rootCauseQuery = (caseId: string) =>
  queryOptions({
    queryKey: recoveryKeys.rootCause(caseId),
    queryFn: ({ signal }) => apiRequest<{ rootCause: RootCause | null }>(`/cases/${caseId}/root-cause`, { signal }),
  });
export const goodwillSettingsQuery = () =>
  queryOptions({ queryKey: recoveryKeys.settings, queryFn: ({ signal }) => apiRequest<GoodwillSettingsResponse>('/goodwill/settings', { signal }) });

export const useCaseGoodwill = (caseId: string) => useQuery(caseGoodwillQuery(caseId));
export const useRootCause = (caseId: string) => useQuery(rootCauseQuery(caseId));
export const useGoodwillSettings = () => useQuery(goodwillSettingsQuery());
export const useApprovals = () =>
  useQuery({ queryKey: recoveryKeys.approvals, queryFn: ({ signal }) => apiRequest<OfferList>('/goodwill/approvals', { signal }) });
export const useRootCauseAnalytics = () =>
  useQuery({ queryKey: recoveryKeys.rootCauseAnalytics, queryFn: ({ signal }) => apiRequest<RootCauseAnalytics>('/root-causes/analytics', { signal }) });
export const useRootCauseQueue = () =>
  useQuery({ queryKey: recoveryKeys.queue, queryFn: ({ signal }) => apiRequest<RootCauseQueue>('/root-causes/queue', { signal }) });
export const useGoodwillAnalytics = () =>
  useQuery({ queryKey: recoveryKeys.goodwillAnalytics, queryFn: ({ signal }) => apiRequest<GoodwillAnalytics>('/goodwill/analytics', { signal }) });

/** Every recovery mutation changes ledgers, queues and charts: refresh all of this feature's queries. */
function useRecoveryMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: recoveryKeys.all }) });
}

export const useOfferGoodwill = (caseId: string) =>
  useRecoveryMutation((body: CreateOfferRequest) => apiRequest<GoodwillOffer>(`/cases/${caseId}/goodwill/offers`, { method: 'POST', body }));
export const useDecideOffer = () =>
  useRecoveryMutation(({ id, approve, note }: { id: string; approve: boolean; note?: string }) =>
    apiRequest<GoodwillOffer>(`/goodwill/offers/${id}/${approve ? 'approve' : 'deny'}`, { method: 'POST', body: note ? { note } : {} }),
  );
export const useRespondOffer = () =>
  useRecoveryMutation(({ id, response }: { id: string; response: 'accepted' | 'declined' }) =>
    apiRequest<GoodwillOffer>(`/goodwill/offers/${id}/response`, { method: 'POST', body: { response } }),
  );
export const useRecordOptions = (caseId: string) =>
  useRecoveryMutation((body: CaseOptionsRequest) => apiRequest<CaseOptionsRecord>(`/cases/${caseId}/options`, { method: 'POST', body }));
export const useRecordRootCause = (caseId: string) =>
  useRecoveryMutation((body: CreateRootCauseRequest) => apiRequest<RootCause>(`/cases/${caseId}/root-cause`, { method: 'POST', body }));
export const useRootCauseDone = () => useRecoveryMutation((id: string) => apiRequest<RootCause>(`/root-causes/${id}/done`, { method: 'POST', body: {} }));
