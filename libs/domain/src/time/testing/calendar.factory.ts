/* Test-data factories for the spec files (not part of the public API). Each call returns a fresh object. */
import type { BusinessCalendar, Weekday } from '../types';

type Periods = [string, string][];

export const ALL_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MON_TO_FRI: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A calendar with the same periods on the given days (Mon–Fri by default) and none on the others. */
export function calendarOf(
  timeZone: string,
  periods: Periods,
  days: readonly Weekday[] = MON_TO_FRI,
  holidays: string[] = [],
): BusinessCalendar {
  const week: Record<Weekday, Periods> = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const day of days) week[day] = periods.map(([open, close]): [string, string] => [open, close]);
  return { timeZone, week, holidays: [...holidays] };
}

/** Mon–Fri 09:00–17:00 in Europe/Berlin with the Christmas holidays 2026-12-25 and 2026-12-26. */
export function berlinNineToFive(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    ...calendarOf('Europe/Berlin', [['09:00', '17:00']], MON_TO_FRI, ['2026-12-25', '2026-12-26']),
    ...overrides,
  };
}

/** Mon–Fri 08:00–12:00 + 13:00–17:00 in Europe/Berlin. */
export function berlinSplitShift(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    ...calendarOf('Europe/Berlin', [
      ['08:00', '12:00'],
      ['13:00', '17:00'],
    ]),
    ...overrides,
  };
}

/** `new Date(iso)`, for readable tables. */
export const at = (iso: string): Date => new Date(iso);
