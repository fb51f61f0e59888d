import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { LoginResponse, SetPasswordRequest } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';
import { sessionFromLogin, startSession } from '@/lib/session';

/** Redeems a one-time set-password link (invitation or new organization); the answer signs the user in. */
export function setPassword(body: SetPasswordRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/set-password', { method: 'POST', body, authenticated: false });
}

export function setPasswordMutationOptions() {
  return mutationOptions({
    mutationKey: ['auth', 'set-password'],
    mutationFn: setPassword,
    onSuccess: (response: LoginResponse) => startSession(sessionFromLogin(response)),
  });
}

export function useSetPassword() {
  return useMutation(setPasswordMutationOptions());
}
