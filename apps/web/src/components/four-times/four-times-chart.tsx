import { formatDuration } from '@/lib/format';

export interface FourTimes {
  openedAt: string;
  requiredAt: string | null;
  expectedAt: string | null;
  promisedAt: string | null;
  satisfiedAt: string | null;
  fixedAt?: string | null;
}

export interface FourTimesChartProps {
  times: FourTimes;
  now: Date;
  /** Compact: a 240×36 sparkline for board rows. Full: labelled, with milestones, pauses and earlier promises. */
  variant?: 'compact' | 'full';
  milestones?: { kind: string; at: string }[];
  pauses?: { from: string; to: string | null }[];
  /** Earlier promise versions (the current one is `times.promisedAt`). */
  earlierPromises?: { version: number; promisedAt: string }[];
  /** Formats an instant for labels and the description (viewer's zone by default). */
  formatTime: (iso: string) => string;
  /**
   * Compact only: draw on a shared time window (epoch ms) so rows line up under one time scale, with faint
   * lines at `ticks`; times outside the window are pinned to its edges. Without it each chart spans its own times.
   */
  window?: { start: number; end: number; ticks: number[] };
}

const ms = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : null);

/** Describes the chart in words: the same facts the shapes show, for screen readers and tooltips. */
export function describeFourTimes(times: FourTimes, now: Date, formatTime: (iso: string) => string): string {
  const parts = [`Opened ${formatTime(times.openedAt)}`];
  const required = ms(times.requiredAt);
  const promised = ms(times.promisedAt);
  if (times.requiredAt) parts.push(`needed by ${formatTime(times.requiredAt)}`);
  if (times.expectedAt) parts.push(`expected by ${formatTime(times.expectedAt)}`);
  if (times.promisedAt) {
    let promise = `promised by ${formatTime(times.promisedAt)}`;
    if (required !== null && promised !== null) {
      const diff = (promised - required) / 60_000;
      promise += Math.abs(diff) < 1 ? ', exactly at the need' : `, ${formatDuration(diff)} ${diff > 0 ? 'after' : 'before'} the need`;
    }
    parts.push(promise);
  } else {
    parts.push('no promise yet');
  }
  if (times.satisfiedAt) {
    let done = `satisfied ${formatTime(times.satisfiedAt)}`;
    const satisfied = ms(times.satisfiedAt) as number;
    if (promised !== null) {
      const diff = (satisfied - promised) / 60_000;
      done += diff > 0 ? `, ${formatDuration(diff)} late` : ', promise kept';
    }
    parts.push(done);
  } else if (promised !== null) {
    const diff = (promised - now.getTime()) / 60_000;
    parts.push(diff >= 0 ? `now ${formatDuration(diff)} before the promise` : `now ${formatDuration(diff)} past the promise`);
  }
  return `${parts.join('; ')}.`;
}

interface Scale {
  x: (t: number) => number;
  start: number;
  end: number;
}

function makeScale(values: number[], left: number, right: number): Scale {
  let start = Math.min(...values);
  let end = Math.max(...values);
  if (end - start < 60_000) end = start + 3_600_000;
  const pad = (end - start) * 0.03;
  start -= pad;
  end += pad;
  return { start, end, x: (t: number) => left + ((t - start) / (end - start)) * (right - left) };
}

/**
 * The four times of a case drawn on one line: the need (amber diamond), the expectation (grey ring), the
 * promise (navy triangle), satisfaction (green dot) or now (dashed line); the band between promise and need
 * is red when the promise lands after the need. Shapes differ, so colour is never the only signal.
 */
export function FourTimesChart({
  times,
  now,
  variant = 'compact',
  milestones = [],
  pauses = [],
  earlierPromises = [],
  formatTime,
  window: shared,
}: FourTimesChartProps) {
  const full = variant === 'full';
  const windowed = !full && shared !== undefined;
  const width = full ? 900 : windowed ? 200 : 240;
  // Room below the track for up to three staggered rows of milestone labels.
  const height = full ? 80 + 24 + Math.min(3, Math.max(1, milestones.length)) * 14 + 6 : windowed ? 24 : 36;
  const y = full ? 80 : height / 2;
  const opened = ms(times.openedAt) as number;
  const required = ms(times.requiredAt);
  const expected = ms(times.expectedAt);
  const promised = ms(times.promisedAt);
  const satisfied = ms(times.satisfiedAt);
  const fixed = ms(times.fixedAt);
  const nowMs = now.getTime();
  const values = [opened, required, expected, promised, satisfied, fixed, satisfied === null ? nowMs : null]
    .concat(full ? earlierPromises.map((p) => ms(p.promisedAt)) : [])
    .filter((v): v is number => v !== null);
  const own = makeScale(values, full ? 64 : 6, width - (full ? 40 : 6));
  const x = windowed
    ? (t: number) => 6 + ((Math.min(shared.end, Math.max(shared.start, t)) - shared.start) / (shared.end - shared.start)) * (width - 12)
    : own.x;
  const end = satisfied ?? nowMs;
  const label = describeFourTimes(times, now, formatTime);
  const band = full ? 14 : 8;

  const markerLabel = (at: number, text: string, row: number, tone: string) =>
    full ? (
      <text x={x(at)} y={row < 0 ? y - 8 + row * 14 : y + 34 + row * 14} textAnchor="middle" className={`ft-label ft-label--${tone}`}>
        {text}
      </text>
    ) : null;

  return (
    <svg
      className={`four-times four-times--${variant}`}
      viewBox={`0 0 ${width} ${height}`}
      width={full ? '100%' : width}
      height={full ? undefined : height}
      role="img"
      aria-label={label}
      data-testid="four-times-chart"
    >
      <title>{label}</title>
      {windowed
        ? shared.ticks.map((t) => <line key={`t${t}`} x1={x(t)} x2={x(t)} y1={0} y2={height} className="ft-tick" />)
        : null}
      {/* the track from opening to the last time */}
      <line x1={x(opened)} x2={x(Math.max(...values))} y1={y} y2={y} className="ft-track" />
      <line x1={x(opened)} x2={x(end)} y1={y} y2={y} className="ft-elapsed" />
      {pauses.map((p, i) => {
        const from = ms(p.from) as number;
        const to = ms(p.to) ?? nowMs;
        return (
          <rect key={`p${i}`} x={x(from)} width={Math.max(2, x(to) - x(from))} y={y - band} height={band * 2} className="ft-pause">
            <title>{`Paused ${formatTime(p.from)} – ${p.to ? formatTime(p.to) : 'now'}`}</title>
          </rect>
        );
      })}
      {required !== null && promised !== null ? (
        <rect
          x={Math.min(x(required), x(promised))}
          width={Math.max(1, Math.abs(x(promised) - x(required)))}
          y={y - band / 2}
          height={band}
          className={promised > required ? 'ft-band ft-band--late' : 'ft-band ft-band--inside'}
          data-testid="promise-need-band"
        />
      ) : null}
      {promised !== null && satisfied === null && nowMs > promised ? (
        <line x1={x(promised)} x2={x(nowMs)} y1={y} y2={y} className="ft-overdue" />
      ) : null}
      {full
        ? earlierPromises.map((p) => {
            const at = ms(p.promisedAt) as number;
            return (
              <g key={`v${p.version}`} className="ft-earlier">
                <path d={`M${x(at)},${y - 10} l-6,-10 h12 z`} />
                <title>{`Promise version ${p.version}: ${formatTime(p.promisedAt)}`}</title>
              </g>
            );
          })
        : null}
      {full
        ? milestones.map((m, i) => {
            const at = ms(m.at) as number;
            return (
              <g key={`m${i}`} className="ft-milestone">
                <line x1={x(at)} x2={x(at)} y1={y + 4} y2={y + 16 + (i % 3) * 14} />
                <text x={x(at)} y={y + 27 + (i % 3) * 14} textAnchor="middle">
                  {m.kind.replace(/_/g, ' ')}
                </text>
                <title>{`${m.kind.replace(/_/g, ' ')}: ${formatTime(m.at)}`}</title>
              </g>
            );
          })
        : null}
      {/* opened */}
      <line x1={x(opened)} x2={x(opened)} y1={y - 6} y2={y + 6} className="ft-opened" />
      {full ? (
        <text x={x(opened) - 8} y={y + 4} textAnchor="end" className="ft-label ft-label--muted">
          opened
        </text>
      ) : null}
      {expected !== null ? (
        <g data-testid="mark-expected">
          <circle cx={x(expected)} cy={y} r={full ? 6 : 4} className="ft-expected" />
          {markerLabel(expected, 'expected', -3, 'muted')}
        </g>
      ) : null}
      {required !== null ? (
        <g data-testid="mark-required">
          <path
            d={full ? `M${x(required)},${y - 9} l9,9 l-9,9 l-9,-9 z` : `M${x(required)},${y - 5} l5,5 l-5,5 l-5,-5 z`}
            className="ft-required"
          />
          {markerLabel(required, 'need', -1, 'required')}
        </g>
      ) : null}
      {promised !== null ? (
        <g data-testid="mark-promised">
          <path
            d={full ? `M${x(promised)},${y - 2} l-8,-14 h16 z` : `M${x(promised)},${y - 1} l-5,-9 h10 z`}
            className="ft-promised"
          />
          {markerLabel(promised, 'promise', -2, 'promised')}
        </g>
      ) : null}
      {fixed !== null && full ? (
        <g>
          <rect x={x(fixed) - 4} y={y - 4} width={8} height={8} className="ft-fixed" />
          {markerLabel(fixed, 'fixed', 0, 'muted')}
        </g>
      ) : null}
      {satisfied !== null ? (
        <g data-testid="mark-satisfied">
          <circle cx={x(satisfied)} cy={y} r={full ? 7 : 5} className="ft-satisfied" />
          {markerLabel(satisfied, 'satisfied', 1, 'satisfied')}
        </g>
      ) : (
        <g data-testid="mark-now">
          <line x1={x(nowMs)} x2={x(nowMs)} y1={full ? y - 60 : 2} y2={full ? y + 12 : height - 2} className="ft-now" />
          {full ? (
            <text x={x(nowMs)} y={y - 64} textAnchor="middle" className="ft-label ft-label--now">
              now
            </text>
          ) : null}
        </g>
      )}
    </svg>
  );
}
