import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '@/hooks/use-session';

export interface LoginRedirectState {
  /** Where to go back to after signing in. */
  from?: string;
  expired?: boolean;
}

/** Renders its children (or the nested routes) only for a signed-in user; otherwise goes to /login. */
export function ProtectedRoute({ children }: { children?: ReactNode }) {
  const { session, endedBy } = useSession();
  const location = useLocation();
  if (!session || session.expiresAt <= Date.now()) {
    const state: LoginRedirectState = {
      from: `${location.pathname}${location.search}`,
      expired: endedBy === 'expired' || Boolean(session),
    };
    return <Navigate to="/login" replace state={state} />;
  }
  return children ?? <Outlet />;
}
