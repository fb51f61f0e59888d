import { NavLink, Outlet } from 'react-router';
import { Button } from '@/components/ui/button';
import { useSession } from '@/features/auth/hooks/use-session';
import { useSignOut } from '@/features/auth/hooks/use-sign-out';
import { useLiveUpdates, type LiveState } from '@/features/live/use-live-updates';
import { humanize } from '@/lib/format';

const NAV = [
  { to: '/board', label: 'Board' },
  { to: '/cases', label: 'Cases', end: true },
  { to: '/cases/new', label: 'New case' },
  { to: '/analytics', label: 'Analytics' },
];

const LIVE_TEXT: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  offline: 'Live updates off',
};

/** The signed-in frame: product, navigation, organization, who is signed in, and the page below. */
export function AppLayout() {
  const { session } = useSession();
  const signOut = useSignOut();
  const live = useLiveUpdates(Boolean(session));
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
        <nav className="app-nav" aria-label="Main">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end} className="app-nav__link">
              {item.label}
            </NavLink>
          ))}
        </nav>
        {session ? (
          <div className="app-header__user">
            <span className={`live-dot live-dot--${live}`} title={LIVE_TEXT[live]}>
              <span aria-hidden="true">●</span> <span className="live-dot__text">{LIVE_TEXT[live]}</span>
            </span>
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
