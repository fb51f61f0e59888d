import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsSummaryResponse, BreakdownRow, HistogramBucket } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { Skeleton } from '@/components/ui/skeleton';
import { formatPercent } from '@/lib/format';
import { useAnalytics } from '../api/get-analytics';
import { analyticsHeadline } from './analytics-headline';
import { CalibrationPanel } from './calibration-panel';
import { StressPanel } from './stress-panel';
import { downloadCsv, toCsv } from './csv';
import { TableScroll } from '@/components/ui/table-scroll';


const hours = (h: number) => (h < 0 ? `−${-h}` : String(h));

/** A bucket's label, short enough to sit under its bar: "<−24", "−8…−4", "≥24" (the axis says "hours"). */
export function bucketLabel(b: HistogramBucket, first: boolean, last: boolean): string {
  if (first) return `<${hours(b.toHours)}`;
  if (last) return `≥${hours(b.fromHours)}`;
  return `${hours(b.fromHours)}…${hours(b.toHours)}`;
}

function Histogram({ title, buckets, description, badFrom }: { title: string; buckets: HistogramBucket[]; description: string; badFrom: number }) {
  const data = buckets.map((b, i) => ({ label: bucketLabel(b, i === 0, i === buckets.length - 1), count: b.count, bad: b.fromHours >= badFrom }));
  const total = buckets.reduce((s, b) => s + b.count, 0);
  return (
    <figure className="chart-card">
      <figcaption>
        <strong>{title}</strong>
        <span className="muted"> {description}</span>
      </figcaption>
      {total === 0 ? (
        <p className="muted">No cases in this period.</p>
      ) : (
        <div className="chart-box" role="img" aria-label={`${title}: ${data.map((d) => `${d.label} h: ${d.count}`).join(', ')}`}>
          <ResponsiveContainer width="100%" height={230}>
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              {/* Horizontal labels; recharts leaves out any that would overlap its neighbour on a narrow chart
                  (the first and last stay), and every bar keeps its tooltip and its place in the description. */}
              <XAxis
                dataKey="label"
                tick={{ fontSize: 11 }}
                interval="preserveStartEnd"
                minTickGap={6}
                height={40}
                label={{ value: 'hours', position: 'insideBottom', offset: 0, fontSize: 11 }}
              />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={32} />
              <Tooltip />
              <Bar dataKey="count" name="Cases" isAnimationActive={false}>
                {data.map((d) => (
                  <Cell key={d.label} fill={d.bad ? '#c2410c' : '#1f3a5f'} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

function BreakdownTable({ title, rows, dimension }: { title: string; rows: BreakdownRow[]; dimension: string }) {
  const exportCsv = () =>
    downloadCsv(
      `kept-keep-rate-by-${dimension.toLowerCase()}.csv`,
      toCsv(
        [dimension, 'closed', 'kept', 'missed', 'keep_rate', 'median_satisfied_minus_promised_hours', 'need_met', 'need_missed'],
        rows.map((r) => [r.label, r.closed, r.kept, r.missed, r.keepRate === null ? null : Number(r.keepRate.toFixed(4)), r.medianLateHours, r.needMet, r.needMissed]),
      ),
    );
  return (
    <section className="panel" aria-label={title}>
      <div className="panel__heading">
        <h2>{title}</h2>
        <Button variant="secondary" size="sm" onClick={exportCsv} disabled={rows.length === 0}>
          Export CSV
        </Button>
      </div>
      {rows.length === 0 ? (
        <p className="muted">No closed cases in this period.</p>
      ) : (
        <TableScroll label={`${title}: table`}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{dimension}</th>
                <th scope="col">Closed</th>
                <th scope="col">Kept</th>
                <th scope="col">Missed</th>
                <th scope="col">Keep-rate</th>
                <th scope="col">Median satisfied − promised</th>
                <th scope="col">Need met / missed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.label}</th>
                  <td>{r.closed}</td>
                  <td>{r.kept}</td>
                  <td>{r.missed}</td>
                  <td>
                    <span className="rate-bar" aria-hidden="true">
                      <span style={{ width: `${Math.round((r.keepRate ?? 0) * 100)}%` }} />
                    </span>{' '}
                    {formatPercent(r.keepRate)}
                  </td>
                  <td>{r.medianLateHours === null ? '—' : `${r.medianLateHours > 0 ? '+' : ''}${r.medianLateHours} h`}</td>
                  <td>
                    {r.needMet} / {r.needMissed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function HeadlineCard({ data }: { data: AnalyticsSummaryResponse }) {
  const headline = analyticsHeadline(data);
  if (!headline) {
    return (
      <div className="headline" data-testid="analytics-headline">
        <p className="headline__text">No promise was decided in this period.</p>
      </div>
    );
  }
  return (
    <div className={`headline headline--${headline.tone}`} data-testid="analytics-headline">
      <p className="headline__text">{headline.text}</p>
      <p className="headline__basis">{headline.basis}</p>
      {headline.calibration ? <p className="headline__basis">{headline.calibration}</p> : null}
    </div>
  );
}

function Summary({ data }: { data: AnalyticsSummaryResponse }) {
  const weekly = data.keepRateByWeek.map((w) => ({ ...w, keepPct: w.keepRate === null ? null : Math.round(w.keepRate * 100) }));
  const exportWeekly = () =>
    downloadCsv('kept-keep-rate-by-week.csv', toCsv(['week', 'kept', 'missed', 'keep_rate'], data.keepRateByWeek.map((w) => [w.period, w.kept, w.missed, w.keepRate])));
  return (
    <>
      <HeadlineCard data={data} />
      <dl className="kpis">
        <div className="kpi">
          <dt>Keep-rate</dt>
          <dd data-testid="kpi-keep-rate">
            {formatPercent(data.totals.keepRate)} <span className="kpi__target">target {formatPercent(data.targetKeepRate)}</span>
          </dd>
        </div>
        <div className="kpi">
          <dt>Promises kept / missed</dt>
          <dd>
            {data.totals.kept} / {data.totals.missed}
          </dd>
        </div>
        <div className="kpi">
          <dt>Needs met / missed</dt>
          <dd>
            {data.totals.needMet} / {data.totals.needMissed}
          </dd>
        </div>
        <div className="kpi">
          <dt>Open now</dt>
          <dd>{data.totals.open}</dd>
        </div>
      </dl>
      <section className="panel" aria-label="Keep-rate over time">
        <div className="panel__heading">
          <h2>Keep-rate by week</h2>
          <Button variant="secondary" size="sm" onClick={exportWeekly} disabled={weekly.length === 0}>
            Export CSV
          </Button>
        </div>
        {weekly.length === 0 ? (
          <p className="muted">No promises closed in this period.</p>
        ) : (
          <div className="chart-box" role="img" aria-label={`Keep-rate by week: ${weekly.map((w) => `${w.period}: ${w.keepPct ?? '—'} %`).join(', ')}`}>
            <ResponsiveContainer width="100%" height={240}>
              <LineChart data={weekly} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="period" tick={{ fontSize: 11 }} />
                <YAxis domain={[0, 100]} unit=" %" tick={{ fontSize: 11 }} width={48} />
                <Tooltip />
                <ReferenceLine y={Math.round(data.targetKeepRate * 100)} stroke="#15803d" strokeDasharray="4 4" label={{ value: `target ${formatPercent(data.targetKeepRate)}`, position: 'insideBottomRight', fontSize: 11, fill: '#17633a' }} />
                <Line type="monotone" dataKey="keepPct" name="Keep-rate %" stroke="#1f3a5f" strokeWidth={2} dot isAnimationActive={false} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>
      <div className="chart-grid">
        <Histogram title="Satisfied − promised" description="(hours; right of 0 = late)" buckets={data.satisfiedMinusPromised} badFrom={0} />
        <Histogram title="Promised − required" description="(hours; right of 0 = promised after the need)" buckets={data.promisedMinusRequired} badFrom={0} />
      </div>
      <CalibrationPanel bins={data.calibration} />
      <BreakdownTable title="By category" rows={data.byCategory} dimension="Category" />
      <BreakdownTable title="By customer" rows={data.byCustomer} dimension="Customer" />
      <BreakdownTable title="By engineer" rows={data.byEngineer} dimension="Engineer" />
      <BreakdownTable title="By team" rows={data.byTeam} dimension="Team" />
    </>
  );
}

export function AnalyticsView() {
  const [days, setDays] = useState(90);
  const query = useAnalytics({ days });
  return (
    <section className="analytics" aria-labelledby="analytics-heading">
      <div className="page-heading">
        <h1 id="analytics-heading">Analytics</h1>
        <div className="page-heading__actions">
          <SelectField label="Period" inline value={String(days)} onChange={(v) => setDays(Number(v))}>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
            <option value={365}>Last 12 months</option>
          </SelectField>
        </div>
      </div>
      <p className="muted">Cases satisfied in the period. Gaps in wall-clock hours.</p>
      {query.isPending ? (
        <div>
          <p className="sr-only" role="status">
            Loading analytics…
          </p>
          <Skeleton className="board-skeleton" />
          <Skeleton className="board-skeleton" />
        </div>
      ) : query.isError ? (
        <LoadError title="Analytics could not be loaded" error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Summary data={query.data} />
          <StressPanel range={{ days }} />
        </>
      )}
    </section>
  );
}
