import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RootCauseAnalytics } from '@kept/contracts';
import type { RootCauseCategory } from '@kept/domain';
import { TableScroll } from '@/components/ui/table-scroll';
import { CATEGORY_LABEL } from './category-label';

export const categoryLabel = (c: string) => CATEGORY_LABEL[c as RootCauseCategory] ?? c;

/**
 * The Pareto chart of root causes: bars by count, most frequent first (the API's order), the cumulative share
 * as a line on the right axis; hours lost in the tooltip and the table beside it. The whole chart is described
 * in words for screen readers.
 */
export function ParetoChart({ rows }: { rows: RootCauseAnalytics['pareto'] }) {
  if (!rows.length) return <p className="muted">No root causes recorded yet: the Pareto chart appears with the first one.</p>;
  const data = rows.map((r) => ({ label: categoryLabel(r.category), count: r.count, hoursLost: r.hoursLost, sharePct: Math.round(r.cumulativeShare * 100) }));
  return (
    <>
      <div
        className="chart-box"
        role="img"
        aria-label="Pareto chart of root causes"
        aria-describedby="pareto-words"
        data-testid="pareto-chart"
      >
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} height={48} />
            <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 11 }} width={36} />
            <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit=" %" tick={{ fontSize: 11 }} width={48} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="count" dataKey="count" name="Cases" fill="#2f6fb3" maxBarSize={72} isAnimationActive={false} />
            <Line yAxisId="share" dataKey="sharePct" name="Cumulative share %" stroke="#c2410c" strokeWidth={2} dot isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p id="pareto-words" className="sr-only">
        {data.map((d) => `${d.label}: ${d.count} cases, ${d.hoursLost} h lost, ${d.sharePct} % cumulative`).join('; ')}
      </p>
      <TableScroll label="Root causes: count, hours lost, cumulative share">
        <table className="data-table" data-testid="pareto-table">
          <thead>
            <tr>
              <th scope="col">Cause</th>
              <th scope="col">Cases</th>
              <th scope="col">Hours lost</th>
              <th scope="col">Cumulative share</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                <td>{d.count}</td>
                <td>{d.hoursLost}</td>
                <td>{d.sharePct} %</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
