import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AlertResponse } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useSession } from '@/hooks/use-session';
import { useAlerts, type AlertStateFilter } from '../api/alerts';
import { useNotificationSettings } from '../hooks/use-alert-notifications';
import { AlertList } from './alert-list';

const FILTERS: { value: AlertStateFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'all', label: 'All' },
];

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

/** The alerts inbox: live (the event stream refreshes it), grouped by case, with acknowledge and snooze. */
export function AlertsInbox() {
  const [params, setParams] = useSearchParams();
  const state = (FILTERS.find((f) => f.value === params.get('state'))?.value ?? 'open') as AlertStateFilter;
  const query = useAlerts(state);
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

  const groups = useMemo(() => {
    const byCase = new Map<string, AlertResponse[]>();
    for (const a of items) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a]);
    return [...byCase.values()];
  }, [items]);

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
        <p className="empty-state__title">{state === 'open' ? 'No open alerts' : 'No alerts'}</p>
        <p className="empty-state__text">New alerts appear here as they fire, without reloading.</p>
      </div>
    );
  } else {
    body = groups.map((alerts) => (
      <section key={alerts[0].caseId} className="panel alert-group" aria-label={`${alerts[0].caseReference} ${alerts[0].caseSummary}`}>
        <h2>
          <Link to={`/cases/${alerts[0].caseId}`}>
            <span className="case-header__ref">{alerts[0].caseReference}</span> {alerts[0].caseSummary}
          </Link>{' '}
          <span className="muted">
            · {alerts.length} {alerts.length === 1 ? 'alert' : 'alerts'}
          </span>
        </h2>
        <AlertList alerts={alerts} canAct={canAct} newIds={newIds} />
      </section>
    ));
  }

  return (
    <section aria-labelledby="alerts-heading">
      <div className="page-heading">
        <h1 id="alerts-heading">Alerts</h1>
        {query.data ? (
          <p className="page-heading__meta" role="status">
            {items.length} {state === 'open' ? 'open' : ''} {items.length === 1 ? 'alert' : 'alerts'} on {groups.length}{' '}
            {groups.length === 1 ? 'case' : 'cases'}
          </p>
        ) : null}
      </div>
      <div className="alerts-toolbar">
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <Button key={f.value} size="sm" variant={f.value === state ? 'primary' : 'secondary'} aria-pressed={f.value === state} onClick={() => setParams(f.value === 'open' ? {} : { state: f.value }, { replace: true })}>
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
