import { useMutation } from '@tanstack/react-query';
import type { CreatedStatusLink } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

/** A new status link for the customer (its URL is shown only in this answer). */
export function useCreateStatusLink(caseId: string) {
  return useMutation({
    mutationFn: () => apiRequest<CreatedStatusLink>(`/cases/${caseId}/status-links`, { method: 'POST', body: {} }),
  });
}
