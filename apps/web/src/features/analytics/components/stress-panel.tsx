import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StressLevelRow } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Skeleton } from '@/components/ui/skeleton';
import { TableScroll } from '@/components/ui/table-scroll';
import { formatPercent } from '@/lib/format';
import { useStressAnalytics, type AnalyticsRange } from '../api/get-analytics';

const levelLabel = (stress: number | null) => (stress === null ? 'Unknown' : String(stress));
const signedHours = (h: number | null) => (h === null ? '—' : `${h > 0 ? '+' : ''}${h} h`);

/**
 * Stress vs service: for each stress level (the customer's survey answer, else the intake's), the keep-rate
 * (bars) and her mean CSAT (line), with the median gaps in a table. Stress lasts until the last of the four
 * times arrives: high-stress customers are where a kept promise matters most.
 */
export function StressPanel({ range }: { range: AnalyticsRange }) {
  const query = useStressAnalytics(range);
  const levels: StressLevelRow[] = query.data?.levels ?? [];
  const data = levels.map((l) => ({
    label: levelLabel(l.stress),
    keepPct: l.keepRate === null ? null : Math.round(l.keepRate * 100),
    csat: l.meanCsat,
  }));
  const any = levels.some((l) => l.closed > 0);
  return (
    <section className="panel" aria-label="By stress level">
      <div className="panel__heading">
        <h2>Stress level: keep-rate, gaps and CSAT</h2>
      </div>
      <p className="muted">Stress 1 (none) to 5 (severe): the customer's survey answer, else the level recorded at intake.</p>
      {query.isPending ? (
        <Skeleton className="board-skeleton" />
      ) : query.isError ? (
        <LoadError title="Stress analytics could not be loaded" error={query.error} onRetry={() => void query.refetch()} />
      ) : !any ? (
        <p className="muted">No closed cases in this period.</p>
      ) : (
        <>
          <div
            className="chart-box"
            role="img"
            aria-label={`By stress level: ${data.map((d) => `stress ${d.label}: keep-rate ${d.keepPct ?? '—'} %, mean CSAT ${d.csat ?? '—'}`).join('; ')}`}
            data-testid="stress-chart"
          >
            <ResponsiveContainer width="100%" height={240}>
              <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 11 }} label={{ value: 'stress', position: 'insideBottom', offset: 0, fontSize: 11 }} height={40} />
                <YAxis yAxisId="rate" domain={[0, 100]} unit=" %" tick={{ fontSize: 11 }} width={48} />
                <YAxis yAxisId="csat" orientation="right" domain={[0, 5]} allowDecimals={false} tick={{ fontSize: 11 }} width={28} />
                <Tooltip />
                <Legend />
                <Bar yAxisId="rate" dataKey="keepPct" name="Keep-rate %" fill="#1f3a5f" isAnimationActive={false} />
                <Line yAxisId="csat" dataKey="csat" name="Mean CSAT (1–5)" stroke="#c2410c" strokeWidth={2} dot connectNulls isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
          <TableScroll label="By stress level: table">
            <table className="data-table" data-testid="stress-table">
              <thead>
                <tr>
                  <th scope="col">Stress</th>
                  <th scope="col">Closed</th>
                  <th scope="col">Keep-rate</th>
                  <th scope="col">Median satisfied − promised</th>
                  <th scope="col">Median promised − required</th>
                  <th scope="col">Median satisfied − required</th>
                  <th scope="col">Surveys</th>
                  <th scope="col">Mean CSAT</th>
                </tr>
              </thead>
              <tbody>
                {levels.map((l) => (
                  <tr key={levelLabel(l.stress)}>
                    <th scope="row">{levelLabel(l.stress)}</th>
                    <td>{l.closed}</td>
                    <td>{formatPercent(l.keepRate)}</td>
                    <td>{signedHours(l.medianLateHours)}</td>
                    <td>{signedHours(l.medianPromisedMinusRequiredHours)}</td>
                    <td>{signedHours(l.medianSatisfiedMinusRequiredHours)}</td>
                    <td>{l.surveys}</td>
                    <td>{l.meanCsat === null ? '—' : l.meanCsat.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
