import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BudgetList, BudgetRequest, GoodwillSettings, GoodwillSettingsResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

/** Goodwill settings and budgets (issue 15): what managers configure; the case page and the call only read them. */
export const goodwillSettingsKeys = {
  settings: ['goodwill', 'settings'] as const,
  budgets: (month: string) => ['goodwill', 'budgets', month] as const,
};

export const useGoodwillSettings = () =>
  useQuery({ queryKey: goodwillSettingsKeys.settings, queryFn: ({ signal }) => apiRequest<GoodwillSettingsResponse>('/goodwill/settings', { signal }) });

/** Replaces the settings; If-Match carries the version read, so a colleague's save in between is refused (409). */
export function useSaveGoodwillSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, settings }: { version: number; settings: GoodwillSettings }) =>
      apiRequest<GoodwillSettingsResponse>('/goodwill/settings', { method: 'PUT', body: settings, headers: { 'If-Match': `W/"${version}"` } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(goodwillSettingsKeys.settings, saved);
      // The call's options list and the case page read the settings too.
      void queryClient.invalidateQueries({ queryKey: ['new-case'] });
      void queryClient.invalidateQueries({ queryKey: ['recovery'] });
    },
  });
}

export const useBudgets = (month: string) =>
  useQuery({
    queryKey: goodwillSettingsKeys.budgets(month),
    queryFn: ({ signal }) => apiRequest<BudgetList>('/goodwill/budgets', { query: { month }, signal }),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });

export function useSetBudget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BudgetRequest) => apiRequest<BudgetList>('/goodwill/budgets', { method: 'PUT', body }),
    onSuccess: (list, body) => queryClient.setQueryData(goodwillSettingsKeys.budgets(body.month), list),
  });
}
