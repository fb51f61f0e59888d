import type { LoginResponse } from '@kept/contracts';
import { sessionFromLogin, startSession, type Session } from './session';

/** Where the refresh cookie (httpOnly, SameSite=Strict, path /api/v1/auth) is exchanged for a new access token. */
const REFRESH_URL = '/api/v1/auth/refresh';
/** Two tabs may rotate the shared cookie at the same moment: the loser waits this long and tries once more. */
const RACE_RETRY_MS = 400;

let inFlight: Promise<Session | null> | null = null;

async function attempt(): Promise<Response | null> {
  try {
    return await fetch(REFRESH_URL, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    return null;
  }
}

async function refreshOnce(): Promise<Session | null> {
  let response = await attempt();
  if (response?.status === 401) {
    await new Promise((resolve) => setTimeout(resolve, RACE_RETRY_MS));
    response = await attempt();
  }
  if (!response?.ok) return null;
  const session = sessionFromLogin((await response.json()) as LoginResponse);
  startSession(session);
  return session;
}

/**
 * Silently renews the session with the refresh cookie: one request at a time however many callers
 * ask (a burst of 401s refreshes once). Resolves to the new session, or null when the cookie is
 * missing, expired or revoked (the caller then ends the session).
 */
export function refreshSession(): Promise<Session | null> {
  inFlight ??= refreshOnce().finally(() => {
    inFlight = null;
  });
  return inFlight;
}
