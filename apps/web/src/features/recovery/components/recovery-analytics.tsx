import { LoadError } from '@/components/load-error';
import { Skeleton } from '@/components/ui/skeleton';
import { TableScroll } from '@/components/ui/table-scroll';
import { useApprovals, useGoodwillAnalytics, useRootCauseAnalytics, useRootCauseQueue } from '../api/recovery';
import { CsatAfterGoodwillChart, GoodwillByStressChart, OptionsTaken } from './goodwill-charts';
import { categoryLabel, ParetoChart } from './pareto-chart';

/** Analytics of recovery: the Pareto of causes, open actions, causes by category and team, the root-cause queue; options taken, goodwill by stress and CSAT after goodwill. */
export function RecoveryAnalytics() {
  const rc = useRootCauseAnalytics();
  const queue = useRootCauseQueue();
  const gw = useGoodwillAnalytics();
  const approvals = useApprovals();
  return (
    <section className="panel" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">Root causes and goodwill</h2>
      {rc.isPending ? <Skeleton className="board-skeleton" /> : null}
      {rc.isError ? <LoadError title="Root causes could not be loaded" error={rc.error} onRetry={() => void rc.refetch()} busy={rc.isFetching} /> : null}
      {rc.data ? (
        <>
          <p data-testid="root-cause-summary">
            Open corrective actions: <strong>{rc.data.openActions}</strong> ({rc.data.overdueActions} overdue) · missed cases waiting for a root cause:{' '}
            <strong>{rc.data.queued}</strong>
          </p>
          <h3>Causes of misses (Pareto)</h3>
          <ParetoChart rows={rc.data.pareto} />
          {rc.data.byTeam.length ? <h3>Causes by category and team</h3> : null}
          {rc.data.byTeam.length ? (
            <TableScroll label="Causes by category and team">
              <table className="data-table" aria-label="Causes by category and team">
                <thead>
                  <tr>
                    <th scope="col">Category</th>
                    <th scope="col">Team</th>
                    <th scope="col">Cases</th>
                    <th scope="col">Hours lost</th>
                  </tr>
                </thead>
                <tbody>
                  {rc.data.byTeam.map((r) => (
                    <tr key={`${r.category}-${r.team}`}>
                      <td>{categoryLabel(r.category)}</td>
                      <td>{r.team ?? '—'}</td>
                      <td>{r.count}</td>
                      <td>{r.hoursLost}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : null}
        </>
      ) : null}
      {queue.data && queue.data.items.length ? (
        <details>
          <summary>Root-cause queue ({queue.data.items.length})</summary>
          <ul className="event-list">
            {queue.data.items.map((q) => (
              <li key={q.caseId}>
                <a href={`/cases/${q.caseId}`}>{q.reference}</a> {q.summary} · {Math.round(q.minutesLate / 6) / 10} h late · team {q.team ?? '—'}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {approvals.data && approvals.data.items.length ? (
        <p>
          Goodwill waiting for approval: <strong>{approvals.data.items.length}</strong> (see Alerts)
        </p>
      ) : null}
      {gw.isError ? <LoadError title="Goodwill analytics could not be loaded" error={gw.error} onRetry={() => void gw.refetch()} busy={gw.isFetching} /> : null}
      {gw.data ? (
        <>
          <h3>Options instead of no</h3>
          <OptionsTaken rows={gw.data.options} />
          <h3>Goodwill by stress level</h3>
          <GoodwillByStressChart rows={gw.data.byStress} currency={gw.data.currency} />
          <h3>CSAT after goodwill vs without</h3>
          <CsatAfterGoodwillChart csat={gw.data.csat} />
        </>
      ) : null}
    </section>
  );
}
