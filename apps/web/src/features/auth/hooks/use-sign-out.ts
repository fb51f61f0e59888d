import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { apiRequest } from '@/lib/api-client';
import { endSession } from '@/lib/session';

/**
 * Ends this browser's log-in on the server (its refresh cookie), drops the token and every cached
 * answer, then returns to the login page.
 */
export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    void apiRequest('/auth/logout', { method: 'POST', authenticated: false }).catch(() => undefined);
    endSession('signed-out');
    queryClient.clear();
    void navigate('/login', { replace: true });
  }, [navigate, queryClient]);
}

/**
 * "Log out everywhere": ends every session of the user on every device (access tokens, refresh
 * tokens, live streams), then signs out here. Resolves false when the server could not be reached.
 */
export function useSignOutEverywhere(): () => Promise<boolean> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await apiRequest('/auth/logout-all', { method: 'POST' });
    } catch {
      return false;
    }
    endSession('signed-out');
    queryClient.clear();
    void navigate('/login', { replace: true });
    return true;
  }, [navigate, queryClient]);
}
