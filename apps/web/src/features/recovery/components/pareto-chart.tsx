import { useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RootCauseAnalytics } from '@kept/contracts';
import { pareto, type ParetoMeasure, type RootCauseCategory } from '@kept/domain';
import { Button } from '@/components/ui/button';
import { TableScroll } from '@/components/ui/table-scroll';
import { CATEGORY_LABEL } from './category-label';

export const categoryLabel = (c: string) => CATEGORY_LABEL[c as RootCauseCategory] ?? c;

const MEASURES: { value: ParetoMeasure; label: string; bar: string }[] = [
  { value: 'count', label: 'Cases', bar: 'Cases' },
  { value: 'hoursLost', label: 'Hours lost', bar: 'Hours lost' },
];

/**
 * The Pareto chart of root causes, ranked by cases (the API's order) or by hours lost (re-ranked with the same
 * `pareto` rule from libs/domain): bars largest first, the cumulative share of that measure as a line on the
 * right axis, and a table with both measures. The whole chart is described in words for screen readers.
 */
export function ParetoChart({ rows }: { rows: RootCauseAnalytics['pareto'] }) {
  const [by, setBy] = useState<ParetoMeasure>('count');
  if (!rows.length) return <p className="muted">No root causes recorded yet: the Pareto chart appears with the first one.</p>;
  const measure = MEASURES.find((m) => m.value === by) ?? MEASURES[0];
  const data = pareto(rows, by).map((r) => ({ label: categoryLabel(r.category), count: r.count, hoursLost: r.hoursLost, sharePct: Math.round(r.cumulativeShare * 100) }));
  return (
    <>
      <div className="segmented" role="group" aria-label="Rank causes by">
        {MEASURES.map((m) => (
          <Button key={m.value} size="sm" variant={m.value === by ? 'primary' : 'secondary'} aria-pressed={m.value === by} onClick={() => setBy(m.value)}>
            {m.label}
          </Button>
        ))}
      </div>
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
            <YAxis yAxisId="count" allowDecimals={by === 'hoursLost'} tick={{ fontSize: 11 }} width={40} />
            <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit=" %" tick={{ fontSize: 11 }} width={48} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="count" dataKey={by} name={measure.bar} fill={by === 'count' ? '#2f6fb3' : '#64748b'} maxBarSize={72} isAnimationActive={false} />
            <Line yAxisId="share" dataKey="sharePct" name="Cumulative share %" stroke="#c2410c" strokeWidth={2} dot isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p id="pareto-words" className="sr-only">
        {`Ranked by ${measure.label.toLowerCase()}: `}
        {data.map((d) => `${d.label}: ${d.count} ${d.count === 1 ? 'case' : 'cases'}, ${d.hoursLost} h lost, ${d.sharePct} % cumulative`).join('; ')}
      </p>
      <TableScroll label="Root causes: count, hours lost, cumulative share">
        <table className="data-table" data-testid="pareto-table">
          <thead>
            <tr>
              <th scope="col">Cause</th>
              <th scope="col">Cases</th>
              <th scope="col">Hours lost</th>
              <th scope="col">Cumulative share ({measure.label.toLowerCase()})</th>
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
