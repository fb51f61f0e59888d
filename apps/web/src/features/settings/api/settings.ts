import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AlertPolicyResponse,
  ApiKeyResponse,
  BusinessCalendarInput,
  CalendarResponse,
  CreateApiKeyRequest,
  CreatedApiKeyResponse,
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointRequest,
  NotificationPreferences,
  UpdateAlertPolicyRequest,
  CreateUserRequest,
  Role,
  UserResponse,
  WebhookEndpointResponse,
} from '@kept/contracts';
import { apiGetVersioned, apiRequest } from '@/lib/api-client';

export const settingsKeys = {
  calendars: ['calendars', 'list'] as const,
  users: ['users'] as const,
  apiKeys: ['api-keys'] as const,
  policies: ['alert-policies'] as const,
  webhooks: ['webhooks'] as const,
};

export const useCalendars = () =>
  useQuery({ queryKey: settingsKeys.calendars, queryFn: ({ signal }) => apiRequest<CalendarResponse[]>('/calendars', { signal }) });

export function useUpdateCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, name, definition }: { id: string; version: number; name: string; definition: BusinessCalendarInput }) =>
      apiRequest<CalendarResponse>(`/calendars/${id}`, { method: 'PATCH', body: { name, definition }, headers: { 'If-Match': `W/"${version}"` } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['calendars'] }),
  });
}

export const useUsers = () =>
  useQuery({ queryKey: settingsKeys.users, queryFn: ({ signal }) => apiRequest<UserResponse[]>('/users', { signal }) });

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, patch }: { id: string; patch: { role?: Role; active?: boolean; team?: string | null } }) => {
      // Users carry their version in the ETag only: read it, then change with If-Match.
      const { version } = await apiGetVersioned<UserResponse>(`/users/${id}`);
      return apiRequest<UserResponse>(`/users/${id}`, { method: 'PATCH', body: patch, headers: version ? { 'If-Match': `W/"${version}"` } : {} });
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.users }),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest) =>
      apiRequest<UserResponse>('/users', { method: 'POST', body, headers: { 'Idempotency-Key': globalThis.crypto?.randomUUID?.() ?? String(Date.now()) } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.users }),
  });
}

export const useApiKeys = (enabled: boolean) =>
  useQuery({ queryKey: settingsKeys.apiKeys, queryFn: ({ signal }) => apiRequest<ApiKeyResponse[]>('/api-keys', { signal }), enabled });

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyRequest) => apiRequest<CreatedApiKeyResponse>('/api-keys', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys }),
  });
}

export const useAlertPolicies = () =>
  useQuery({
    queryKey: settingsKeys.policies,
    queryFn: ({ signal }) => apiRequest<AlertPolicyResponse[] | { items: AlertPolicyResponse[] }>('/alert-policies', { signal }),
  });

export const useWebhooks = (enabled: boolean) =>
  useQuery({
    queryKey: settingsKeys.webhooks,
    queryFn: ({ signal }) => apiRequest<WebhookEndpointResponse[] | { items: WebhookEndpointResponse[] }>('/webhooks', { signal }),
    enabled,
  });

/** Lists come as an array or as a page, depending on the endpoint. */
export function itemsOf<T>(data: T[] | { items: T[] } | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.items;
}

export function useUpdatePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: string; version: number; patch: Omit<UpdateAlertPolicyRequest, 'version'> }) =>
      apiRequest<AlertPolicyResponse>(`/alert-policies/${id}`, { method: 'PATCH', body: patch, headers: { 'If-Match': `W/"${version}"` } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.policies }),
  });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookEndpointRequest) =>
      apiRequest<CreatedWebhookEndpointResponse>('/webhooks', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.webhooks }),
  });
}

export function useUpdateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, active }: { id: string; version: number; active: boolean }) =>
      apiRequest<WebhookEndpointResponse>(`/webhooks/${id}`, { method: 'PATCH', body: { active }, headers: { 'If-Match': `W/"${version}"` } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: settingsKeys.webhooks }),
  });
}

export const preferencesKey = ['notification-preferences'] as const;

export const usePreferences = () =>
  useQuery({
    queryKey: preferencesKey,
    queryFn: ({ signal }) => apiRequest<NotificationPreferences>('/users/me/notification-preferences', { signal }),
  });

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationPreferences) =>
      apiRequest<NotificationPreferences>('/users/me/notification-preferences', { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData(preferencesKey, data),
  });
}
