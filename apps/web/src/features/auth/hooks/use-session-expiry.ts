import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { refreshSession } from '@/lib/refresh';
import { endSession } from '@/lib/session';
import { useSession } from '@/hooks/use-session';

/** Browsers cap timers at about 24.8 days. */
const MAX_TIMER_MS = 2_147_483_647;
/** Renew the access token this long before it expires, so no request meets an expired one. */
const RENEW_BEFORE_MS = 60_000;

/**
 * Renews the session silently (refresh cookie) shortly before its access token expires, so staff are not
 * signed out every 15 minutes; when the renewal is refused (signed out everywhere, deactivated, the
 * refresh token expired) the session ends and the protected routes send the user to the login page.
 * Also empties the query cache whenever a session ends.
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
    const renew = () => {
      void refreshSession().then((next) => {
        if (!next) endSession('expired');
      });
    };
    const timer = setTimeout(renew, Math.max(0, Math.min(remaining - RENEW_BEFORE_MS, MAX_TIMER_MS)));
    return () => clearTimeout(timer);
  }, [session, queryClient]);
}
