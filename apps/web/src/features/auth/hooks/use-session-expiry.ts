import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { endSession } from '@/lib/session';
import { useSession } from '@/hooks/use-session';

/** Browsers cap timers at about 24.8 days. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Ends the session when its token expires, so the protected routes send the user back to the login
 * page instead of waiting for the next 401. Also empties the query cache whenever a session ends.
 */
export function useSessionExpiry(): void {
  const { session } = useSession();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!session) {
      queryClient.clear();
      return;
    }
    const remaining = session.expiresAt - Date.now();
    const timer = setTimeout(() => endSession('expired'), Math.max(0, Math.min(remaining, MAX_TIMER_MS)));
    return () => clearTimeout(timer);
  }, [session, queryClient]);
}
