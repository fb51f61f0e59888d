import { mutationOptions, queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import type { LoginResponse, SignupModeResponse, SignupRequest, SignupResponse, VerifyEmailRequest } from '@kept/contracts';
import { apiRequest } from '@/lib/api-client';
import { sessionFromLogin, startSession } from '@/lib/session';

export const signupModeQueryOptions = () =>
  queryOptions({
    queryKey: ['auth', 'signup-mode'],
    queryFn: ({ signal }) => apiRequest<SignupModeResponse>('/auth/signup', { signal, authenticated: false }),
    staleTime: Infinity,
    retry: false,
  });

/** Whether this server lets visitors create an organization (`SIGNUP=open`). */
export function useSignupMode() {
  return useQuery(signupModeQueryOptions());
}

export function signup(body: SignupRequest): Promise<SignupResponse> {
  return apiRequest<SignupResponse>('/auth/signup', { method: 'POST', body, authenticated: false });
}

export function useSignup() {
  return useMutation(mutationOptions({ mutationKey: ['auth', 'signup'], mutationFn: signup }));
}

/** Confirms a sign-up's e-mail address with its one-time link; the answer signs the new admin in. */
export function verifyEmail(body: VerifyEmailRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/verify-email', { method: 'POST', body, authenticated: false });
}

export function useVerifyEmail() {
  return useMutation(
    mutationOptions({
      mutationKey: ['auth', 'verify-email'],
      mutationFn: verifyEmail,
      onSuccess: (response: LoginResponse) => startSession(sessionFromLogin(response)),
    }),
  );
}
