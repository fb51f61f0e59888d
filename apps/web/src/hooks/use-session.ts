import { useSyncExternalStore } from 'react';
import { getSessionState, subscribeSession, type SessionState } from '@/lib/session';

/** The signed-in session (null when signed out) and why the last one ended. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, getSessionState);
}
