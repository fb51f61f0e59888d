import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaseFeedback, CreateProposalRequest, PromiseProposal } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const customerFeedbackKeys = {
  ofCase: (caseId: string) => ['case', caseId, 'customer-feedback'] as const,
};

export function customerFeedbackQueryOptions(caseId: string) {
  return queryOptions({
    queryKey: customerFeedbackKeys.ofCase(caseId),
    queryFn: ({ signal }) => apiRequest<CaseFeedback>(`/cases/${caseId}/customer-feedback`, { signal }),
  });
}

/** The customer's survey and the promises proposed to her, with her answers. */
export function useCustomerFeedback(caseId: string) {
  return useQuery(customerFeedbackQueryOptions(caseId));
}

/** Proposes a new promise to the customer (she accepts or declines it on her status page). */
export function useProposePromise(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateProposalRequest) =>
      apiRequest<PromiseProposal>(`/cases/${caseId}/promise-proposals`, {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}` },
      }),
    // The case's ledger records the proposal: the case and its feedback are both stale.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['case', caseId] }),
  });
}
