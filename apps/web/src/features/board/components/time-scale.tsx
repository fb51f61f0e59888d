import type { BoardItemResponse } from '@kept/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY];

export interface TimeWindow {
  start: number;
  end: number;
  /** Tick instants (epoch ms), multiples of the step away from now, now included. */
  ticks: number[];
  step: number;
}

/**
 * One time window for every timeline on the board page, so the rows line up and can be compared: from the
 * longest-overdue deadline (at least 6 h, at most 2 days back) to the furthest deadline ahead (at least 12 h,
 * at most 3 days on); times beyond are pinned to the edges. Ticks every 1 h … 2 days, at most about 8.
 */
export function boardTimeWindow(items: Pick<BoardItemResponse, 'promisedAt' | 'requiredAt'>[], now: Date): TimeWindow {
  const nowMs = now.getTime();
  let behind = 6 * HOUR;
  let ahead = 12 * HOUR;
  for (const item of items) {
    for (const iso of [item.promisedAt, item.requiredAt]) {
      if (!iso) continue;
      const d = new Date(iso).getTime() - nowMs;
      if (d < 0) behind = Math.max(behind, -d);
      else ahead = Math.max(ahead, d);
    }
  }
  behind = Math.min(behind, 2 * DAY) * 1.05;
  ahead = Math.min(ahead, 3 * DAY) * 1.05;
  const span = behind + ahead;
  const step = STEPS.find((s) => span / s <= 8) ?? STEPS[STEPS.length - 1];
  const ticks: number[] = [];
  for (let t = nowMs - Math.floor(behind / step) * step; t <= nowMs + ahead; t += step) ticks.push(t);
  return { start: nowMs - behind, end: nowMs + ahead, ticks, step };
}

/** A tick's label relative to now: "now", "+6 h", "−1 d". Relative, so it needs no time zone. */
export function tickLabel(t: number, now: number): string {
  const d = Math.round((t - now) / HOUR);
  if (d === 0) return 'now';
  const sign = d > 0 ? '+' : '−';
  const abs = Math.abs(d);
  return abs % 24 === 0 ? `${sign}${abs / 24} d` : `${sign}${abs} h`;
}

/** The time scale over the timeline column: the ticks of the shared window, labelled relative to now. */
export function TimeScale({ window, now, width = 200 }: { window: TimeWindow; now: number; width?: number }) {
  const x = (t: number) => 6 + ((t - window.start) / (window.end - window.start)) * (width - 12);
  // Every other label when they would crowd (about 34 px each).
  const every = (width - 12) / window.ticks.length < 34 ? 2 : 1;
  const nowIndex = window.ticks.indexOf(now);
  return (
    <svg className="time-scale" width={width} height={14} viewBox={`0 0 ${width} 14`} data-testid="time-scale" aria-hidden="true">
      {window.ticks.map((t, i) =>
        (i - nowIndex) % every === 0 ? (
          <text key={t} x={x(t)} y={10} textAnchor={i === 0 ? 'start' : 'middle'} className={t === now ? 'time-scale__now' : undefined}>
            {tickLabel(t, now)}
          </text>
        ) : null,
      )}
    </svg>
  );
}
