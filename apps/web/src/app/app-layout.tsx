import { Link, NavLink, Outlet } from 'react-router';
import { Button } from '@/components/ui/button';
import { useAlerts } from '@/features/alerts/api/alerts';
import { useAlertNotifications } from '@/features/alerts/hooks/use-alert-notifications';
import { useSession } from '@/hooks/use-session';
import { useSignOut } from '@/features/auth/hooks/use-sign-out';
import { useLiveUpdates, type LiveState } from '@/hooks/use-live-updates';
import { humanize } from '@/lib/format';

const NAV = [
  { to: '/my-work', label: 'My work', engineers: true },
  { to: '/board', label: 'Board' },
  { to: '/cases', label: 'Cases', end: true },
  { to: '/cases/new', label: 'New case' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/settings', label: 'Settings', managers: true },
];

/**
 * The number of the user's own open alerts (the inbox's default "Mine"), next to the Alerts link; nothing
 * when there are none or they cannot be loaded.
 */
function OpenAlertsCount() {
  const query = useAlerts('open', undefined, { scope: 'me' });
  const count = query.data?.items.length ?? 0;
  if (count === 0) return null;
  return (
    <span className="nav-count" data-testid="open-alerts-count">
      {count > 99 ? '99+' : count}
      <span className="sr-only"> open alerts for you</span>
    </span>
  );
}

const LIVE_TEXT: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  offline: 'Live updates off',
};

/**
 * The signed-in frame: product, navigation, organization, who is signed in (a link to their own preferences and
 * sessions), and the page below.
 */
export function AppLayout() {
  const { session } = useSession();
  const signOut = useSignOut();
  const live = useLiveUpdates(Boolean(session));
  useAlertNotifications();
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
          {NAV.filter(
            (item) =>
              (!('managers' in item) || ['admin', 'manager'].includes(session?.user.role ?? '')) &&
              (!('engineers' in item) || session?.user.role === 'engineer'),
          ).map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end} className="app-nav__link">
              {item.label}
              {item.to === '/alerts' ? <OpenAlertsCount /> : null}
            </NavLink>
          ))}
        </nav>
        {session ? (
          <div className="app-header__user">
            <span className={`live-dot live-dot--${live}`} title={LIVE_TEXT[live]}>
              <span aria-hidden="true">●</span> <span className="live-dot__text">{LIVE_TEXT[live]}</span>
            </span>
            <Link to="/preferences" className="app-header__who" title="My preferences: notifications and sessions">
              <span className="app-header__name">{session.user.name}</span>
              <span className="app-header__role">
                {humanize(session.user.role)}
                <span className="sr-only"> · My preferences</span>
              </span>
            </Link>
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
