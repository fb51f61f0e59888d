import type { RootCauseAnalytics } from '@kept/contracts';
import type { RootCauseCategory } from '@kept/domain';
import { Alert } from '@/components/ui/alert';
import { errorMessage } from '@/lib/api-client';
import { useApprovals, useGoodwillAnalytics, useRootCauseAnalytics, useRootCauseQueue } from '../api/recovery';
import { CATEGORY_LABEL } from './case-recovery';
import { formatMoney } from './money';

const labelOf = (c: string) => CATEGORY_LABEL[c as RootCauseCategory] ?? c;

/** Pareto of causes: bars by count (most frequent first), hours lost beside them, and the cumulative share as a line. */
export function ParetoChart({ rows }: { rows: RootCauseAnalytics['pareto'] }) {
  if (!rows.length) return <p className="muted">No root causes recorded yet.</p>;
  const W = 640;
  const H = 240;
  const pad = { l: 40, r: 40, t: 16, b: 56 };
  const maxCount = Math.max(...rows.map((r) => r.count));
  const band = (W - pad.l - pad.r) / Math.max(rows.length, 4);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / maxCount);
  const yShare = (s: number) => pad.t + (H - pad.t - pad.b) * (1 - s);
  const line = rows.map((r, i) => `${pad.l + band * (i + 0.5)},${yShare(r.cumulativeShare)}`).join(' ');
  return (
    <figure className="pareto">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Pareto chart of root causes" width="100%" style={{ maxWidth: 720 }}>
        <line x1={pad.l} x2={W - pad.r} y1={H - pad.b} y2={H - pad.b} stroke="currentColor" strokeOpacity={0.4} />
        {rows.map((r, i) => (
          <g key={r.category}>
            <rect x={pad.l + band * i + band * 0.15} y={y(r.count)} width={band * 0.7} height={H - pad.b - y(r.count)} fill="#2f6fb3">
              <title>{`${labelOf(r.category)}: ${r.count} cases, ${r.hoursLost} h lost`}</title>
            </rect>
            <text x={pad.l + band * (i + 0.5)} y={y(r.count) - 4} textAnchor="middle" fontSize={12}>
              {r.count} · {r.hoursLost} h
            </text>
            <text x={pad.l + band * (i + 0.5)} y={H - pad.b + 16} textAnchor="middle" fontSize={11}>
              {labelOf(r.category).slice(0, 18)}
            </text>
          </g>
        ))}
        <polyline points={line} fill="none" stroke="#c2410c" strokeWidth={2} />
        {rows.map((r, i) => (
          <circle key={r.category} cx={pad.l + band * (i + 0.5)} cy={yShare(r.cumulativeShare)} r={3} fill="#c2410c" />
        ))}
        <text x={W - pad.r + 4} y={pad.t + 4} fontSize={11} fill="#c2410c">
          100%
        </text>
        <text x={pad.l - 6} y={pad.t + 4} fontSize={11} textAnchor="end">
          {maxCount}
        </text>
      </svg>
      <figcaption className="muted">Bars: cases per cause (label: count · hours lost). Line: cumulative share of all causes.</figcaption>
    </figure>
  );
}

/** Analytics of recovery: the Pareto of causes, open actions, the root-cause queue, options taken, goodwill by stress. */
export function RecoveryAnalytics() {
  const rc = useRootCauseAnalytics();
  const queue = useRootCauseQueue();
  const gw = useGoodwillAnalytics();
  const approvals = useApprovals();
  return (
    <section className="panel" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">Root causes and goodwill</h2>
      {rc.isError ? <Alert title="Root causes could not be loaded">{errorMessage(rc.error)}</Alert> : null}
      {rc.data ? (
        <>
          <p>
            Open corrective actions: <strong>{rc.data.openActions}</strong> ({rc.data.overdueActions} overdue) · missed cases waiting for a root cause:{' '}
            <strong>{rc.data.queued}</strong>
          </p>
          <ParetoChart rows={rc.data.pareto} />
          {rc.data.byTeam.length ? (
            <table className="data-table" aria-label="Causes by category and team">
              <thead>
                <tr>
                  <th>Category</th>
                  <th>Team</th>
                  <th>Cases</th>
                  <th>Hours lost</th>
                </tr>
              </thead>
              <tbody>
                {rc.data.byTeam.map((r) => (
                  <tr key={`${r.category}-${r.team}`}>
                    <td>{labelOf(r.category)}</td>
                    <td>{r.team ?? '—'}</td>
                    <td>{r.count}</td>
                    <td>{r.hoursLost}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
          Goodwill waiting for approval: <strong>{approvals.data.items.length}</strong>
        </p>
      ) : null}
      {gw.data ? (
        <>
          <h3>Options instead of no</h3>
          {gw.data.options.length ? (
            <table className="data-table" aria-label="Options taken">
              <thead>
                <tr>
                  <th>Option</th>
                  <th>Offered</th>
                  <th>Chosen</th>
                  <th>Closed</th>
                  <th>Kept</th>
                </tr>
              </thead>
              <tbody>
                {gw.data.options.map((o) => (
                  <tr key={o.option}>
                    <td>{o.option}</td>
                    <td>{o.offered}</td>
                    <td>{o.chosen}</td>
                    <td>{o.closed}</td>
                    <td>{o.kept}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No options recorded yet.</p>
          )}
          <h3>Goodwill by stress level</h3>
          <ul className="event-list" aria-label="Goodwill by stress level">
            {gw.data.byStress.map((s) => (
              <li key={String(s.stressLevel)}>
                Stress {s.stressLevel ?? 'unknown'}: {s.offers} offers, {formatMoney(s.givenMinor, gw.data.currency)} given
              </li>
            ))}
          </ul>
          <p className="muted">CSAT after goodwill vs without: {gw.data.csat.reason}.</p>
        </>
      ) : null}
    </section>
  );
}
