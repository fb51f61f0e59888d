import { CartesianGrid, ErrorBar, LabelList, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CalibrationBin } from '@kept/contracts';
import { Button } from '@/components/ui/button';
import { formatPercent } from '@/lib/format';
import { downloadCsv, toCsv } from './csv';
import { TableScroll } from '@/components/ui/table-scroll';

const binLabel = (b: CalibrationBin) => `${Math.round(b.from * 100)}–${Math.round(b.to * 100)} %`;
const pct1 = (x: number) => Math.round(x * 1000) / 10;

/** "67 % (21–94 %)": the observed rate with its 95 % Wilson interval. */
export function observedWithInterval(b: CalibrationBin): string {
  if (b.observed === null) return '—';
  return b.interval ? `${formatPercent(b.observed)} (${Math.round(b.interval.low * 100)}–${Math.round(b.interval.high * 100)} %)` : formatPercent(b.observed);
}

/**
 * Calibration: for each bin of promised keep-probability, the share of decided promises actually kept, with
 * its sample size and 95 % Wilson interval (a bin of 5 promises says little; the bar shows how little).
 * A well-calibrated forecast puts every point on the diagonal; below it, promises were kept less often
 * than they were said to be.
 */
export function CalibrationPanel({ bins }: { bins: CalibrationBin[] }) {
  const points = bins
    .filter((b) => b.promises > 0 && b.predicted !== null && b.observed !== null)
    .map((b) => {
      const observedPct = pct1(b.observed ?? 0);
      return {
        label: binLabel(b),
        predictedPct: pct1(b.predicted ?? 0),
        observedPct,
        promises: b.promises,
        n: `n=${b.promises}`,
        // ErrorBar takes the distances below and above the point.
        interval: b.interval ? [observedPct - pct1(b.interval.low), pct1(b.interval.high) - observedPct] : [0, 0],
        low: b.interval ? pct1(b.interval.low) : null,
        high: b.interval ? pct1(b.interval.high) : null,
      };
    });
  const exportCsv = () =>
    downloadCsv(
      'kept-calibration.csv',
      toCsv(
        ['promised_probability_from', 'promised_probability_to', 'promises', 'kept', 'mean_promised_probability', 'observed_keep_rate', 'observed_low_95', 'observed_high_95'],
        bins.map((b) => [b.from, b.to, b.promises, b.kept, b.predicted, b.observed, b.interval?.low ?? null, b.interval?.high ?? null]),
      ),
    );
  return (
    <section className="panel" aria-label="Calibration">
      <div className="panel__heading">
        <h2>Calibration: promised keep-probability vs observed</h2>
        <Button variant="secondary" size="sm" onClick={exportCsv} disabled={bins.length === 0}>
          Export CSV
        </Button>
      </div>
      {bins.length === 0 ? (
        <p className="muted">
          No decided promise in this period carries a keep-probability yet: promises record the recommender’s keep-probability
          when they are made (new case, re-promise), and appear here once satisfied or past due.
        </p>
      ) : (
        <div className="calibration">
          <div
            className="chart-box calibration__chart"
            role="img"
            aria-label={`Calibration: ${points
              .map((p) => `promised ${p.predictedPct} %, kept ${p.observedPct} % of ${p.promises}${p.low !== null ? ` (95 % interval ${p.low}–${p.high} %)` : ''}`)
              .join('; ')}`}
          >
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={points} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  type="number"
                  dataKey="predictedPct"
                  domain={[0, 100]}
                  ticks={[0, 20, 40, 60, 80, 100]}
                  unit=" %"
                  tick={{ fontSize: 11 }}
                  label={{ value: 'promised keep-probability', position: 'insideBottom', offset: -8, fontSize: 11 }}
                />
                <YAxis type="number" domain={[0, 100]} ticks={[0, 20, 40, 60, 80, 100]} unit=" %" tick={{ fontSize: 11 }} width={48} />
                <Tooltip formatter={(value) => `${String(value)} %`} labelFormatter={(v) => `promised ${String(v)} %`} />
                <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
                <ReferenceLine
                  segment={[
                    { x: 0, y: 0 },
                    { x: 100, y: 100 },
                  ]}
                  stroke="#6b7280"
                  strokeDasharray="4 4"
                  ifOverflow="extendDomain"
                />
                <Line
                  type="linear"
                  dataKey="observedPct"
                  name="Observed keep-rate, 95 % interval (dashed: perfect calibration)"
                  stroke="#1f3a5f"
                  strokeWidth={2}
                  dot={{ r: 4 }}
                  isAnimationActive={false}
                >
                  <ErrorBar dataKey="interval" direction="y" width={6} stroke="#1f3a5f" strokeWidth={1.5} />
                  <LabelList dataKey="n" position="right" offset={8} fontSize={10} fill="#556170" />
                </Line>
              </LineChart>
            </ResponsiveContainer>
          </div>
          <TableScroll label="Calibration bins: table">
            <table className="data-table" aria-label="Calibration bins">
              <thead>
                <tr>
                  <th scope="col">Promised probability</th>
                  <th scope="col">Decided promises (n)</th>
                  <th scope="col">Kept</th>
                  <th scope="col">Mean promised</th>
                  <th scope="col">Observed (95 % interval)</th>
                </tr>
              </thead>
              <tbody>
                {bins.map((b) => (
                  <tr key={b.from}>
                    <th scope="row">{binLabel(b)}</th>
                    <td>{b.promises}</td>
                    <td>{b.kept}</td>
                    <td>{formatPercent(b.predicted)}</td>
                    <td>{observedWithInterval(b)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </div>
      )}
    </section>
  );
}
