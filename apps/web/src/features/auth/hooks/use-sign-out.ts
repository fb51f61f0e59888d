import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { endSession } from '@/lib/session';

/** Drops the token and every cached answer, then returns to the login page. */
export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    endSession('signed-out');
    queryClient.clear();
    void navigate('/login', { replace: true });
  }, [navigate, queryClient]);
}
