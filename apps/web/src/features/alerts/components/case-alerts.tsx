import { errorMessage } from '@/lib/api-client';
import { formatInstant } from '@/lib/format';
import { useAlerts } from '../api/alerts';
import { AlertList } from './alert-list';

/**
 * The alerts of one case for the case page: those that fired (open or acknowledged) in full, the ones
 * still scheduled folded away.
 */
export function CaseAlerts({ caseId, canAct }: { caseId: string; canAct: boolean }) {
  const query = useAlerts('all', caseId);
  if (query.isPending) return <p className="muted">Loading alerts…</p>;
  if (query.isError) return <p className="muted">Alerts could not be loaded: {errorMessage(query.error)}</p>;
  const fired = query.data.items.filter((a) => a.state === 'fired' || a.state === 'acknowledged');
  const scheduled = query.data.items
    .filter((a) => a.state === 'pending')
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
  return (
    <>
      {fired.length === 0 ? <p className="muted">No alert has fired on this case.</p> : <AlertList alerts={fired} canAct={canAct} />}
      {scheduled.length > 0 ? (
        <details className="scheduled-alerts">
          <summary>
            {scheduled.length} more {scheduled.length === 1 ? 'alert is' : 'alerts are'} scheduled
            {scheduled[0].dueAt ? `, the next ${formatInstant(scheduled[0].dueAt)}` : ''}
          </summary>
          <ul className="event-list">
            {scheduled.map((a) => (
              <li key={a.id}>
                {a.dueAt ? formatInstant(a.dueAt) : '—'} · {a.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
