import { useSession } from '@/hooks/use-session';
import { humanize } from '@/lib/format';
import { NotificationPreferences } from './notification-preferences';

/** "My preferences": every signed-in user's own settings (dispatchers and engineers included). */
export function MyPreferences() {
  const { session } = useSession();
  return (
    <section aria-labelledby="preferences-heading">
      <div className="page-heading">
        <h1 id="preferences-heading">My preferences</h1>
      </div>
      {session ? (
        <p className="muted preferences__who">
          {session.user.name} · {humanize(session.user.role)} · {session.user.email}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="my-notifications-heading">
        <h2 id="my-notifications-heading">Notifications</h2>
        <p className="muted">How alerts reach you: e-mail, a digest of the minor ones, and quiet hours when e-mails wait.</p>
        <NotificationPreferences />
      </section>
    </section>
  );
}
