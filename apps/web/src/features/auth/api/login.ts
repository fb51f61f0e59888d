import { mutationOptions, useMutation } from '@tanstack/react-query';
import type { LoginRequest, LoginResponse } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';
import { sessionFromLogin, startSession } from '@/lib/session';

export function login(body: LoginRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/login', { method: 'POST', body, authenticated: false });
}

export function loginMutationOptions() {
  return mutationOptions({
    mutationKey: ['auth', 'login'],
    mutationFn: login,
    onSuccess: (response: LoginResponse) => startSession(sessionFromLogin(response)),
  });
}

/** Signs in; on success the session is stored and every `useSession` re-renders. */
export function useLogin() {
  return useMutation(loginMutationOptions());
}
