import { useCallback, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { SignupForm } from '@/features/auth/components/signup-form';
import { VerifyEmail } from '@/features/auth/components/verify-email';

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="login-page">
      <title>{`${title} · Kept`}</title>
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
        <h1 className="login-card__title">{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function SignupRoute() {
  return (
    <Card title="Create your organization">
      <SignupForm />
      <p className="login-form__hint">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </Card>
  );
}

/** The e-mail confirmation link (`/verify-email#token=…`; the fragment never reaches a server or a Referer). */
export function VerifyEmailRoute() {
  const navigate = useNavigate();
  const [token] = useState(() => {
    const match = /(?:^#|&)token=([A-Za-z0-9_-]{20,200})(?:&|$)/.exec(window.location.hash);
    if (match) window.history.replaceState(window.history.state, '', window.location.pathname);
    return match ? match[1] : null;
  });
  const onVerified = useCallback(() => void navigate('/', { replace: true }), [navigate]);
  return (
    <Card title="Confirm your email">
      {token ? <VerifyEmail token={token} onVerified={onVerified} /> : <Alert title="This link is incomplete">Open the link from the email again.</Alert>}
    </Card>
  );
}
