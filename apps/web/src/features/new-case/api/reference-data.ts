import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CalendarResponse,
  CaseDetailResponse,
  CaseOptionsRequest,
  ContractResponse,
  CreateCaseRequest,
  CreateCustomerRequest,
  CreateSiteRequest,
  CustomerResponse,
  EngineerAvailabilityResponse,
  GoodwillSettingsResponse,
  RecommendationRequest,
  RecommendationResponse,
  SiteResponse,
} from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';

export const referenceKeys = {
  customers: ['customers'] as const,
  sites: (customerId: string) => ['sites', customerId] as const,
  contracts: (customerId: string) => ['contracts', customerId] as const,
  calendar: (id: string) => ['calendars', id] as const,
  engineers: ['board', 'engineers'] as const,
  offerOptions: ['new-case', 'offer-options'] as const,
};

/** The tenant's list of options to offer instead of a bare no (goodwill settings). */
export function useOfferOptions() {
  return useQuery({
    queryKey: referenceKeys.offerOptions,
    queryFn: ({ signal }) => apiRequest<GoodwillSettingsResponse>('/goodwill/settings', { signal }),
    select: (s) => s.options,
    staleTime: 5 * 60_000,
  });
}

export function useCustomers() {
  return useQuery({ queryKey: referenceKeys.customers, queryFn: ({ signal }) => apiRequest<CustomerResponse[]>('/customers', { signal }) });
}

export function useSites(customerId: string) {
  return useQuery({
    queryKey: referenceKeys.sites(customerId),
    queryFn: ({ signal }) => apiRequest<SiteResponse[]>('/sites', { query: { customerId }, signal }),
    enabled: Boolean(customerId),
  });
}

export function useContracts(customerId: string) {
  return useQuery({
    queryKey: referenceKeys.contracts(customerId),
    queryFn: ({ signal }) => apiRequest<ContractResponse[]>('/contracts', { query: { customerId }, signal }),
    enabled: Boolean(customerId),
  });
}

export function useCalendar(id: string | null) {
  return useQuery({
    queryKey: referenceKeys.calendar(id ?? ''),
    queryFn: ({ signal }) => apiRequest<CalendarResponse>(`/calendars/${id}`, { signal }),
    enabled: Boolean(id),
  });
}

/**
 * The promise recommendation (POST /recommendations). A 404 or 501 means the recommender is not there;
 * the call then falls back to the contract's organizational promise.
 */
export function useRecommendation(request: RecommendationRequest | null) {
  return useQuery({
    queryKey: ['recommendation', request] as const,
    queryFn: ({ signal }) => apiRequest<RecommendationResponse>('/recommendations', { method: 'POST', body: request, signal }),
    enabled: request !== null,
    retry: false,
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

export function useEngineers() {
  return useQuery({
    queryKey: referenceKeys.engineers,
    queryFn: ({ signal }) => apiRequest<EngineerAvailabilityResponse[]>('/board/engineers', { signal }),
  });
}

export interface OpenCaseInput {
  request: CreateCaseRequest;
  idempotencyKey: string;
  engineer: { id: string; name: string } | null;
  message: string;
  /** When the promise lands after the need: the options offered instead of a no and the one she chose. */
  options?: CaseOptionsRequest | null;
}

export interface OpenCaseResult {
  detail: CaseDetailResponse;
  /** Set when the case was created but telling the engineer failed. */
  dispatchError: unknown;
  /** Set when the case was created but the options offered could not be recorded. */
  optionsError?: unknown;
}

/**
 * Step 4: creates the case assigned to the engineer (retry-safe with an Idempotency-Key), then records
 * the `dispatched` milestone whose note is the exact message sent to the engineer. The assignment is
 * the case's `assigneeId`, never parsed from the note.
 */
export async function openCase({ request, idempotencyKey, engineer, message, options }: OpenCaseInput): Promise<OpenCaseResult> {
  const detail = await apiRequest<CaseDetailResponse>('/cases', {
    method: 'POST',
    body: engineer ? { ...request, assigneeId: engineer.id } : request,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  let optionsError: unknown = null;
  if (options) {
    try {
      await apiRequest(`/cases/${detail.id}/options`, { method: 'POST', body: options });
    } catch (error) {
      optionsError = error;
    }
  }
  if (!engineer) return { detail, dispatchError: null, optionsError };
  try {
    const dispatched = await apiRequest<CaseDetailResponse>(`/cases/${detail.id}/milestones`, {
      method: 'POST',
      body: { kind: 'dispatched', note: message.slice(0, 1000) },
      headers: { 'If-Match': `W/"${detail.version}"` },
    });
    return { detail: dispatched, dispatchError: null, optionsError };
  } catch (error) {
    return { detail, dispatchError: error, optionsError };
  }
}

export function useOpenCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: openCase,
    onSuccess: ({ detail }) => {
      queryClient.setQueryData(['case', detail.id], detail);
      void queryClient.invalidateQueries({ queryKey: ['board'] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

/** Adds a customer during the call (her name and how to reach her); the list then shows her. */
export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCustomerRequest) =>
      apiRequest<CustomerResponse>('/customers', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}` },
      }),
    onSuccess: (customer) => {
      queryClient.setQueryData<CustomerResponse[]>(referenceKeys.customers, (list) => [...(list ?? []), customer]);
      void queryClient.invalidateQueries({ queryKey: referenceKeys.customers });
    },
  });
}

/** Adds a site of the chosen customer during the call (name, address and its time zone). */
export function useCreateSite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSiteRequest) =>
      apiRequest<SiteResponse>('/sites', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}` },
      }),
    onSuccess: (site) => {
      queryClient.setQueryData<SiteResponse[]>(referenceKeys.sites(site.customerId), (list) => [...(list ?? []), site]);
      void queryClient.invalidateQueries({ queryKey: referenceKeys.sites(site.customerId) });
    },
  });
}
