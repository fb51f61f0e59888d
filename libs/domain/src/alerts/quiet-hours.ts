import { nextWorkingInstant } from '../time/business-time';
import type { BusinessCalendar, Weekday } from '../time/types';
import { WEEKDAYS } from '../time/types';

/** Daily quiet hours `[from, to)` in a zone, as "HH:mm"; `from > to` wraps past midnight. */
export interface QuietHours {
  from: string;
  to: string;
  timeZone: string;
}

/**
 * When a notification due at `at` may be sent: `at` itself outside quiet hours, else the end of them.
 * The hours outside the quiet ones form a calendar, so zones and DST follow the calendar arithmetic.
 */
export function sendAfterQuietHours(at: Date, quiet: QuietHours | null): Date {
  if (!quiet || quiet.from === quiet.to) return at;
  const periods: [string, string][] =
    quiet.from < quiet.to
      ? [
          ...(quiet.from > '00:00' ? [['00:00', quiet.from] as [string, string]] : []),
          ['00:00' < quiet.to ? quiet.to : '00:00', '24:00'],
        ]
      : [[quiet.to, quiet.from]];
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, periods.map((p) => [...p])])) as Record<Weekday, [string, string][]>;
  const awake: BusinessCalendar = { timeZone: quiet.timeZone, week, holidays: [] };
  return nextWorkingInstant(at, awake);
}
