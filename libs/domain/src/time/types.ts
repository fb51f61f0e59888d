/** A day of the week, as used for the keys of {@link BusinessCalendar.week}. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** The weekdays in ISO order (Monday first). */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Business hours as plain JSON.
 *
 * - `timeZone`: IANA zone in which all periods and holidays are local (e.g. `"Europe/Berlin"`).
 * - `week`: per weekday, sorted non-overlapping local periods `[open, close)` as `"HH:mm"`;
 *   `"24:00"` as a close means the next local midnight. Several periods a day model split shifts.
 * - `holidays`: local dates `"YYYY-MM-DD"` without any working time.
 */
export interface BusinessCalendar {
  timeZone: string;
  week: Record<Weekday, [string, string][]>;
  holidays: string[];
}

/**
 * A span during which the clock is stopped (e.g. waiting for the customer).
 * `to: null` means the pause is still running (open-ended, until +infinity). Pauses are half-open
 * `[from, to)`; overlapping pauses are merged and a pause with `to <= from` is ignored.
 */
export interface Pause {
  from: Date;
  to: Date | null;
}
