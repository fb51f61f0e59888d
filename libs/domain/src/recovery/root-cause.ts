/** Root-cause rules: which closed cases need a root cause, and the hours a miss cost. */

export const ROOT_CAUSE_CATEGORIES = ['parts', 'travel', 'diagnosis_longer', 'estimate_too_short', 'scheduling', 'customer_unavailable', 'other'] as const;
export type RootCauseCategory = (typeof ROOT_CAUSE_CATEGORIES)[number];

/**
 * Minutes a satisfied case came late: the larger of satisfied − promised and satisfied − required, or 0
 * when it came at or before both (wall time: the customer waited every minute of it).
 */
export function minutesLate(t: { satisfiedAt: Date | null; promisedAt: Date | null; requiredAt: Date | null }): number {
  if (!t.satisfiedAt) return 0;
  const s = t.satisfiedAt.getTime();
  const late = [t.promisedAt, t.requiredAt].filter((d): d is Date => d !== null).map((d) => (s - d.getTime()) / 60_000);
  return Math.max(0, ...late);
}

/** A satisfied case needs a root cause when it was satisfied after its promise or its need. */
export const needsRootCause = (t: { satisfiedAt: Date | null; promisedAt: Date | null; requiredAt: Date | null }): boolean => minutesLate(t) > 0;

/** A corrective action is overdue once its due time has passed and it is not done. */
export const actionOverdue = (a: { dueAt: Date | null; doneAt: Date | null }, now: Date): boolean =>
  a.doneAt === null && a.dueAt !== null && a.dueAt.getTime() < now.getTime();

export interface ParetoRow {
  category: string;
  count: number;
  hoursLost: number;
  /** Share of all causes up to and including this one, by the measure ranked on (0–1). */
  cumulativeShare: number;
}

/** What a Pareto ranks causes by: how often they happened, or how many hours they cost. */
export type ParetoMeasure = 'count' | 'hoursLost';

/**
 * Pareto order: the largest first by the measure (by count, ties by hours lost; by hours lost, ties by count;
 * then by name), with the cumulative share of that measure. A frequent small cause and a rare costly one swap
 * places between the two: both views answer a different question (what to fix first vs what costs most).
 */
export function pareto(rows: readonly { category: string; count: number; hoursLost: number }[], by: ParetoMeasure = 'count'): ParetoRow[] {
  const other: ParetoMeasure = by === 'count' ? 'hoursLost' : 'count';
  const sorted = [...rows].sort((a, b) => b[by] - a[by] || b[other] - a[other] || a.category.localeCompare(b.category));
  const total = sorted.reduce((n, r) => n + r[by], 0);
  let run = 0;
  return sorted.map((r) => {
    run += r[by];
    return { category: r.category, count: r.count, hoursLost: r.hoursLost, cumulativeShare: total ? run / total : 0 };
  });
}

/**
 * The gap that calls for goodwill: of the promise and the need, the one missed by more, measured to the
 * satisfied time (or to now while the case is open); null when neither is missed.
 */
export function worstMiss(
  t: { satisfiedAt: Date | null; promisedAt: Date | null; requiredAt: Date | null },
  now: Date,
): { target: 'promised' | 'required'; minutes: number } | null {
  const end = (t.satisfiedAt ?? now).getTime();
  const misses = (
    [
      ['promised', t.promisedAt],
      ['required', t.requiredAt],
    ] as const
  )
    .filter(([, d]) => d !== null && end > (d as Date).getTime())
    .map(([target, d]) => ({ target, minutes: Math.round((end - (d as Date).getTime()) / 60_000) }))
    .sort((a, b) => b.minutes - a.minutes);
  return misses[0] ?? null;
}
