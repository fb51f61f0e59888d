import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  BRAND_LOGO_MAX_BYTES,
  BRAND_LOGO_TYPES,
  type OrganizationSettings,
  type ProblemDetails,
  type UpdateOrganizationSettingsRequest,
} from '@kept/contracts';
import { getSession } from '@/lib/session';
import { ApiError, apiRequest, buildUrl, NetworkError } from '@/lib/api-client';

export const brandingKeys = { settings: ['organization', 'settings'] as const };

export const useOrganizationSettings = () =>
  useQuery({
    queryKey: brandingKeys.settings,
    queryFn: ({ signal }) => apiRequest<OrganizationSettings>('/organization/settings', { signal }),
  });

export function useUpdateOrganizationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, ...patch }: UpdateOrganizationSettingsRequest & { version: number }) =>
      apiRequest<OrganizationSettings>('/organization/settings', { method: 'PATCH', body: patch, headers: { 'If-Match': `W/"${version}"` } }),
    onSuccess: (settings) => queryClient.setQueryData(brandingKeys.settings, settings),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: brandingKeys.settings }),
  });
}

/** Why a logo cannot be sent, before sending it; null when it can (the API checks again). */
export function logoProblem(file: File): string | null {
  if (!(BRAND_LOGO_TYPES as readonly string[]).includes(file.type)) return 'Only PNG, JPEG or WebP images.';
  if (file.size > BRAND_LOGO_MAX_BYTES) return `The image is ${Math.ceil(file.size / 1024)} KB; at most ${BRAND_LOGO_MAX_BYTES / 1024} KB.`;
  if (file.size === 0) return 'The file is empty.';
  return null;
}

/** The image itself is the body, with its type. */
export function useUploadLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const session = getSession();
      let res: Response;
      try {
        res = await fetch(buildUrl('/organization/settings/logo'), {
          method: 'PUT',
          headers: { 'Content-Type': file.type, Accept: 'application/json, application/problem+json', ...(session ? { Authorization: `Bearer ${session.accessToken}` } : {}) },
          body: file,
        });
      } catch (error) {
        throw new NetworkError(error);
      }
      const body = (await res.json().catch(() => null)) as unknown;
      if (!res.ok) throw new ApiError(res.status, (body as ProblemDetails | null) ?? null, `Upload failed (${res.status}).`);
      return body as OrganizationSettings;
    },
    onSuccess: (settings) => queryClient.setQueryData(brandingKeys.settings, settings),
  });
}

export function useRemoveLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<OrganizationSettings>('/organization/settings/logo', { method: 'DELETE' }),
    onSuccess: (settings) => queryClient.setQueryData(brandingKeys.settings, settings),
  });
}
