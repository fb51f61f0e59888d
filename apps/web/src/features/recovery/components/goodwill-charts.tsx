import { Bar, BarChart, CartesianGrid, ComposedChart, LabelList, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CsatGroup, GoodwillAnalytics } from '@kept/contracts';
import { TableScroll } from '@/components/ui/table-scroll';
import { formatMoney } from '@/lib/money';

const CSAT_LABEL: Record<CsatGroup, string> = {
  goodwill: 'After goodwill',
  missed_without: 'Missed, no goodwill',
  kept_without: 'Kept, no goodwill',
};

/** Goodwill given by the customer's stress level at intake: amount (bars) and number of offers (line). */
export function GoodwillByStressChart({ rows, currency }: { rows: GoodwillAnalytics['byStress']; currency: string }) {
  if (!rows.length) return <p className="muted">No goodwill offered yet.</p>;
  const data = rows.map((r) => ({ label: r.stressLevel === null ? 'Unknown' : String(r.stressLevel), given: r.givenMinor / 100, offers: r.offers }));
  return (
    <div
      className="chart-box"
      role="img"
      aria-label={`Goodwill by stress level: ${rows.map((r) => `stress ${r.stressLevel ?? 'unknown'}: ${r.offers} offers, ${formatMoney(r.givenMinor, currency)} given`).join('; ')}`}
      data-testid="goodwill-stress-chart"
    >
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} label={{ value: 'stress', position: 'insideBottom', offset: 0, fontSize: 11 }} height={40} />
          <YAxis yAxisId="given" tick={{ fontSize: 11 }} width={56} />
          <YAxis yAxisId="offers" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} width={28} />
          <Tooltip />
          <Legend />
          <Bar yAxisId="given" dataKey="given" name={`Given (${currency})`} fill="#2f6fb3" maxBarSize={72} isAnimationActive={false} />
          <Line yAxisId="offers" dataKey="offers" name="Offers" stroke="#c2410c" strokeWidth={2} dot isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** CSAT (1–5, the status page's survey) after goodwill vs missed and kept cases without it; says so when nobody answered. */
export function CsatAfterGoodwillChart({ csat }: { csat: GoodwillAnalytics['csat'] }) {
  if (!csat.available) {
    return (
      <p className="muted" data-testid="csat-empty">
        No survey data yet. {csat.reason}: CSAT after goodwill appears once customers answer the survey on their status page.
      </p>
    );
  }
  const data = csat.groups.map((g) => ({ label: CSAT_LABEL[g.group], average: g.average, responses: g.responses }));
  return (
    <div
      className="chart-box"
      role="img"
      aria-label={`Mean CSAT: ${data.map((d) => `${d.label} ${d.average} of 5 (${d.responses} answers)`).join('; ')}`}
      data-testid="csat-chart"
    >
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 48, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 5]} ticks={[1, 2, 3, 4, 5]} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={130} />
          <Tooltip />
          <Bar dataKey="average" name="Mean CSAT (1–5)" fill="#1f3a5f" maxBarSize={32} isAnimationActive={false}>
            <LabelList dataKey="responses" position="right" formatter={(n: unknown) => `n = ${String(n)}`} fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Which options customers take instead of a no, and how those cases end. */
export function OptionsTaken({ rows }: { rows: GoodwillAnalytics['options'] }) {
  if (!rows.length) return <p className="muted">No options recorded yet: they appear once a call or a case records what was offered.</p>;
  return (
    <>
      <div
        className="chart-box"
        role="img"
        aria-label={`Options: ${rows.map((o) => `${o.option} offered ${o.offered}, chosen ${o.chosen}, kept ${o.kept}`).join('; ')}`}
        data-testid="options-chart"
      >
        <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 40 + 60)}>
          <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="option" tick={{ fontSize: 11 }} width={160} />
            <Tooltip />
            <Legend />
            <Bar dataKey="offered" maxBarSize={14} name="Offered" fill="#94a3b8" isAnimationActive={false} />
            <Bar dataKey="chosen" maxBarSize={14} name="Chosen" fill="#2f6fb3" isAnimationActive={false} />
            <Bar dataKey="kept" maxBarSize={14} name="Chosen and kept" fill="#15803d" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <TableScroll label="Options taken">
        <table className="data-table" aria-label="Options taken">
          <thead>
            <tr>
              <th scope="col">Option</th>
              <th scope="col">Offered</th>
              <th scope="col">Chosen</th>
              <th scope="col">Closed</th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.option}>
                <th scope="row">{o.option}</th>
                <td>{o.offered}</td>
                <td>{o.chosen}</td>
                <td>{o.closed}</td>
                <td>{o.kept}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
