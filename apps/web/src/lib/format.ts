import { displayInstant, formatInstantIn, formatInstantLongIn, zoneName } from '@kept/domain';

/**
 * Display formatting. Every instant the app shows goes through the functions below, which use the one
 * format of `@kept/domain` (`displayInstant`): "Tue 1 Dec, 17:19 Europe/Berlin" — the zone always
 * named; the viewer's zone unless told otherwise (a site's, for what customers and engineers read).
 */
export interface FormatOptions {
  /** IANA zone; defaults to the viewer's. */
  timeZone?: string;
  /** Ignored: one format across the app, whatever the browser's locale (kept so callers need not change). */
  locale?: string;
  /** Reference instant for "same year" shortening; defaults to now. */
  now?: Date;
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function toDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface InstantParts {
  /** "Tue 1 Dec", or "Tue 30 Dec 2025" outside the current year. */
  date: string;
  /** "14:00" */
  time: string;
  /** "Europe/Berlin", "UTC": the zone the parts are in. */
  zone: string;
}

/**
 * A compact date and time for tables, split so narrow layouts can stack them; the zone comes separately
 * (a table names it once in its header). Returns null for a missing or unreadable instant.
 */
export function formatInstantParts(iso: string | null | undefined, options: FormatOptions = {}): InstantParts | null {
  if (!iso) return null;
  const date = toDate(iso);
  if (!date) return null;
  return displayInstant(date, options.timeZone ?? viewerTimeZone(), options.now ?? new Date());
}

/** The same on one line, zone named: "Tue 1 Dec, 14:00 Europe/Berlin", "Tue 30 Dec 2025, 09:15 UTC". */
export function formatInstant(iso: string | null | undefined, options: FormatOptions = {}): string | null {
  if (!iso) return null;
  const date = toDate(iso);
  if (!date) return null;
  return formatInstantIn(date, options.timeZone ?? viewerTimeZone(), options.now ?? new Date());
}

/** The full form for tooltips: "Tuesday 1 December 2026, 14:00 Europe/Berlin (GMT+1)". */
export function formatInstantLong(iso: string | null | undefined, options: FormatOptions = {}): string | null {
  if (!iso) return null;
  const date = toDate(iso);
  if (!date) return null;
  return formatInstantLongIn(date, options.timeZone ?? viewerTimeZone());
}

/** Names a zone for a header or footnote: "Europe/Berlin (GMT+1)", or just "UTC". */
export function timeZoneLabel(options: FormatOptions = {}): string {
  const timeZone = options.timeZone ?? viewerTimeZone();
  if (zoneName(timeZone) === 'UTC') return 'UTC';
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(
    options.now ?? new Date(),
  );
  const offset = parts.find((part) => part.type === 'timeZoneName')?.value;
  return offset ? `${timeZone} (${offset})` : timeZone;
}

/** A length of time, sign ignored: "45 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(minutes: number): string {
  const total = Math.round(Math.abs(minutes));
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
}

/** A probability or rate as a whole percentage: 0.904 → "90 %"; null (no figure) → "—". */
export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)} %`;
}

/** "open" → "Open", "customer_unavailable" → "Customer unavailable". */
export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Business time left to a deadline, in words: "3 h 20 min left", "due now", "2 h over". */
export function formatTimeLeft(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (Math.abs(minutes) < 1) return 'due now';
  return minutes > 0 ? `${formatDuration(minutes)} left` : `${formatDuration(minutes)} over`;
}

/** A signed gap in words: "2 h after", "45 min before", "on time". */
export function formatGap(minutes: number, after = 'after', before = 'before'): string {
  if (Math.abs(minutes) < 1) return 'at the same time';
  return `${formatDuration(minutes)} ${minutes > 0 ? after : before}`;
}

/** The value for an `<input type="datetime-local">` showing an instant in the viewer's zone. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Reads an `<input type="datetime-local">` value (viewer's zone) as an ISO instant; null when empty or invalid. */
export function fromLocalInputValue(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
