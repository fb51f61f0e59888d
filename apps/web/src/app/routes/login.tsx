import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { LoginForm } from '@/features/auth/components/login-form';
import { SignupLink } from '@/features/auth/components/signup-link';
import type { LoginRedirectState } from '@/features/auth/components/protected-route';
import { useSession } from '@/hooks/use-session';

// The home route sends each role to its own start page (the board, or an engineer's work).
const DEFAULT_AFTER_LOGIN = '/';

function safeTarget(from: string | undefined): string {
  // Only paths inside the app; never "//elsewhere.example" or the login page itself.
  if (!from || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/login')) return DEFAULT_AFTER_LOGIN;
  return from === '/' ? DEFAULT_AFTER_LOGIN : from;
}

export function LoginRoute() {
  const { session } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const state = (location.state ?? {}) as LoginRedirectState;
  const target = safeTarget(state.from);

  if (session) return <Navigate to={target} replace />;

  return (
    <main className="login-page">
      <title>Sign in · Kept</title>
      <div className="login-card">
        <div className="login-card__brand">
          <span className="logo logo--lg" aria-hidden="true">
            K
          </span>
          <div>
            <p className="login-card__product">Kept</p>
            <p className="login-card__tagline">Service promises, kept.</p>
          </div>
        </div>
        <h1 className="login-card__title">Sign in</h1>
        {state.expired ? (
          <Alert tone="info" className="login-card__notice">
            Your session has ended. Sign in again to continue.
          </Alert>
        ) : null}
        <LoginForm onSuccess={() => void navigate(target, { replace: true })} />
        <SignupLink />
      </div>
    </main>
  );
}
