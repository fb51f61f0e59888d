import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { SetPasswordForm } from '@/features/auth/components/set-password-form';

/** The link's token travels in the fragment (`#token=…`): browsers never send it to a server or in a Referer. */
function tokenFromHash(hash: string): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{20,200})(?:&|$)/.exec(hash);
  return match ? match[1] : null;
}

export function SetPasswordRoute() {
  const navigate = useNavigate();
  // Read once, then dropped from the address bar so it is not kept in the history.
  const [token] = useState(() => {
    const found = tokenFromHash(window.location.hash);
    if (found) window.history.replaceState(window.history.state, '', window.location.pathname);
    return found;
  });

  return (
    <main className="login-page">
      <title>Choose your password · Kept</title>
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
        <h1 className="login-card__title">Choose your password</h1>
        {token ? (
          <SetPasswordForm token={token} onSuccess={() => void navigate('/', { replace: true })} />
        ) : (
          <Alert title="This link is incomplete">Open the link from your invitation again, or ask an administrator for a new one.</Alert>
        )}
      </div>
    </main>
  );
}
