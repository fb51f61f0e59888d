import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateInvitationRequest, InvitationResponse, PendingInvitationResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';
import { settingsKeys } from './settings';

/** Invitations: an admin invites by e-mail; the invitee chooses a password with a one-time link. */
export const invitationKeys = { pending: ['invitations', 'pending'] as const };

export const useInvitations = (enabled: boolean) =>
  useQuery({
    queryKey: invitationKeys.pending,
    queryFn: ({ signal }) => apiRequest<PendingInvitationResponse[]>('/auth/invitations', { signal }),
    enabled,
  });

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: invitationKeys.pending });
    void queryClient.invalidateQueries({ queryKey: settingsKeys.users });
  };
}

export function useInvite() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: CreateInvitationRequest) => apiRequest<InvitationResponse>('/auth/invitations', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useResendInvitation() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (userId: string) => apiRequest<InvitationResponse>(`/auth/invitations/${userId}/resend`, { method: 'POST' }),
    onSuccess: invalidate,
  });
}

export function useRevokeInvitation() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (userId: string) => apiRequest<void>(`/auth/invitations/${userId}`, { method: 'DELETE' }),
    onSettled: invalidate,
  });
}
