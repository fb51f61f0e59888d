import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useSession } from '@/hooks/use-session';
import { errorMessage } from '@/lib/api-client';
import { useAcknowledgeCase, useAlerts, type AlertScope, type AlertStateFilter } from '../api/alerts';
import { useNotificationSettings } from '../hooks/use-alert-notifications';
import { AlertList } from './alert-list';
import { groupAlertsByCase, type AlertGroup } from './group-alerts';

const FILTERS: { value: AlertStateFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'all', label: 'All' },
];

const SCOPES: { value: AlertScope; label: string }[] = [
  { value: 'me', label: 'Mine' },
  { value: 'all', label: 'Everyone' },
];

/** One case's alerts, with "Acknowledge all" for the open ones shown. */
function AlertGroupSection({ group, canAct, newIds }: { group: AlertGroup; canAct: boolean; newIds: Set<string> }) {
  const acknowledgeAll = useAcknowledgeCase();
  const open = group.alerts.filter((a) => a.state === 'fired');
  const label = `${group.caseReference} ${group.caseSummary}`;
  return (
    <section className="panel alert-group" aria-label={label} data-severity={group.severity}>
      <div className="alert-group__header">
        <h2>
          <Link to={`/cases/${group.caseId}`}>
            <span className="case-header__ref">{group.caseReference}</span> {group.caseSummary}
          </Link>{' '}
          <span className="muted">
            · {group.alerts.length} {group.alerts.length === 1 ? 'alert' : 'alerts'}
          </span>
        </h2>
        {canAct && open.length > 1 ? (
          <Button
            size="sm"
            variant="secondary"
            busy={acknowledgeAll.isPending}
            aria-label={`Acknowledge all ${open.length} open alerts of ${group.caseReference}`}
            onClick={() => acknowledgeAll.mutate({ caseId: group.caseId, alertIds: open.map((a) => a.id) })}
          >
            Acknowledge all ({open.length})
          </Button>
        ) : null}
      </div>
      {acknowledgeAll.isError ? <Alert>{errorMessage(acknowledgeAll.error)}</Alert> : null}
      <AlertList alerts={group.alerts} canAct={canAct} newIds={newIds} />
    </section>
  );
}

function NotificationOptIn() {
  const { settings, change, desktopBlocked } = useNotificationSettings();
  return (
    <fieldset className="notify-optin">
      <legend className="sr-only">Notify me of new alerts</legend>
      <div className="check-field">
        <input id="notify-sound" type="checkbox" checked={settings.sound} onChange={(e) => void change({ ...settings, sound: e.target.checked })} />
        <label htmlFor="notify-sound">Play a sound</label>
      </div>
      <div className="check-field">
        <input
          id="notify-desktop"
          type="checkbox"
          checked={settings.desktop}
          disabled={desktopBlocked && !settings.desktop}
          onChange={(e) => void change({ ...settings, desktop: e.target.checked })}
        />
        <label htmlFor="notify-desktop">Desktop notifications{desktopBlocked ? ' (blocked by the browser)' : ''}</label>
      </div>
    </fieldset>
  );
}

/**
 * The alerts inbox: live (the event stream refreshes it), grouped by case with the most severe case
 * first, with acknowledge (one, or all of a case) and snooze. It shows the user's own alerts (her role,
 * her team, her cases) unless she asks for everyone's.
 */
export function AlertsInbox() {
  const [params, setParams] = useSearchParams();
  const state = (FILTERS.find((f) => f.value === params.get('state'))?.value ?? 'open') as AlertStateFilter;
  const scope: AlertScope = params.get('for') === 'all' ? 'all' : 'me';
  const query = useAlerts(state, undefined, { scope });
  const setFilter = (next: { state?: AlertStateFilter; scope?: AlertScope }) => {
    const s = next.state ?? state;
    const f = next.scope ?? scope;
    setParams({ ...(s === 'open' ? {} : { state: s }), ...(f === 'me' ? {} : { for: f }) }, { replace: true });
  };
  const { session } = useSession();
  const canAct = ['admin', 'manager', 'dispatcher'].includes(session?.user.role ?? '');
  const items = useMemo(() => query.data?.items ?? [], [query.data]);

  // Alerts that arrive after the first load are marked "New" until the page is left.
  const seen = useRef<Set<string> | null>(null);
  const [newIds, setNewIds] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!query.data) return;
    if (seen.current === null) {
      seen.current = new Set(items.map((a) => a.id));
      return;
    }
    const fresh = items.filter((a) => !seen.current!.has(a.id)).map((a) => a.id);
    if (fresh.length === 0) return;
    for (const id of fresh) seen.current.add(id);
    setNewIds((current) => new Set([...current, ...fresh]));
  }, [query.data, items]);

  const groups = useMemo(() => groupAlertsByCase(items), [items]);

  let body;
  if (query.isPending) {
    body = (
      <div>
        <p className="sr-only" role="status">
          Loading alerts…
        </p>
        <Skeleton className="board-skeleton" />
        <Skeleton className="board-skeleton" />
      </div>
    );
  } else if (query.isError) {
    body = <LoadError title="Alerts could not be loaded" error={query.error} onRetry={() => void query.refetch()} />;
  } else if (groups.length === 0) {
    body = (
      <div className="empty-state" role="status">
        <p className="empty-state__title">{state === 'open' ? 'No open alerts' : 'No alerts'}{scope === 'me' ? ' for you' : ''}</p>
        <p className="empty-state__text">
          New alerts appear here as they fire, without reloading.
          {scope === 'me' ? ' Choose “Everyone” to see the alerts of other roles and teams.' : ''}
        </p>
      </div>
    );
  } else {
    body = groups.map((group) => <AlertGroupSection key={group.caseId} group={group} canAct={canAct} newIds={newIds} />);
  }

  return (
    <section aria-labelledby="alerts-heading">
      <div className="page-heading">
        <h1 id="alerts-heading">Alerts</h1>
        {query.data ? (
          <p className="page-heading__meta" role="status">
            {items.length} {state === 'open' ? 'open' : ''} {items.length === 1 ? 'alert' : 'alerts'} on {groups.length}{' '}
            {groups.length === 1 ? 'case' : 'cases'}
            {scope === 'me' ? ', yours' : ', everyone’s'}
          </p>
        ) : null}
      </div>
      <div className="alerts-toolbar">
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <Button key={f.value} size="sm" variant={f.value === state ? 'primary' : 'secondary'} aria-pressed={f.value === state} onClick={() => setFilter({ state: f.value })}>
              {f.label}
            </Button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Whose alerts">
          {SCOPES.map((f) => (
            <Button key={f.value} size="sm" variant={f.value === scope ? 'primary' : 'secondary'} aria-pressed={f.value === scope} onClick={() => setFilter({ scope: f.value })}>
              {f.label}
            </Button>
          ))}
        </div>
        <NotificationOptIn />
      </div>
      {body}
    </section>
  );
}
