import { alertsUnavailable, useAlerts } from '../api/alerts';
import { AlertList } from './alert-list';

/** The alerts of one case, for the case page; silent when the installation has no alerts API. */
export function CaseAlerts({ caseId, canAct }: { caseId: string; canAct: boolean }) {
  const query = useAlerts('all', caseId);
  if (query.isPending) return <p className="muted">Loading alerts…</p>;
  if (query.isError) return <p className="muted">{alertsUnavailable(query.error) ? 'Alerts are not available.' : 'Alerts could not be loaded.'}</p>;
  if (query.data.items.length === 0) return <p className="muted">No alerts on this case.</p>;
  return <AlertList alerts={query.data.items} canAct={canAct} />;
}
