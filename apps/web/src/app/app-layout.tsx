import { Outlet } from 'react-router';
import { Button } from '@/components/ui/button';
import { useSession } from '@/features/auth/hooks/use-session';
import { useSignOut } from '@/features/auth/hooks/use-sign-out';
import { humanize } from '@/lib/format';

/** The signed-in frame: product, organization, who is signed in, and the page below. */
export function AppLayout() {
  const { session } = useSession();
  const signOut = useSignOut();
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="app-header__brand">
          <span className="logo" aria-hidden="true">
            K
          </span>
          <span className="app-header__product">Kept</span>
          {session ? (
            <span className="app-header__org" title="Organization">
              {session.organization.name}
            </span>
          ) : null}
        </div>
        {session ? (
          <div className="app-header__user">
            <span className="app-header__who">
              <span className="app-header__name">{session.user.name}</span>
              <span className="app-header__role">{humanize(session.user.role)}</span>
            </span>
            <Button variant="ghost" size="sm" onClick={signOut}>
              Sign out
            </Button>
          </div>
        ) : null}
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
