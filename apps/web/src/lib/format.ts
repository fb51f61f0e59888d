/** Display formatting with Intl, in the viewer's locale and time zone unless told otherwise. */

export interface FormatOptions {
  /** IANA zone; defaults to the viewer's. */
  timeZone?: string;
  /** BCP 47 locale; defaults to the viewer's. */
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

function yearIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(date);
}

export interface InstantParts {
  /** "Nov 23", or "Dec 30, 2025" outside the current year. */
  date: string;
  /** "2:00 PM" */
  time: string;
}

/**
 * A compact date and time for tables, split so narrow layouts can stack them. The year is shown only
 * when it is not the current one. Returns null for a missing or unreadable instant.
 */
export function formatInstantParts(iso: string | null | undefined, options: FormatOptions = {}): InstantParts | null {
  if (!iso) return null;
  const date = toDate(iso);
  if (!date) return null;
  const timeZone = options.timeZone ?? viewerTimeZone();
  const sameYear = yearIn(date, timeZone) === yearIn(options.now ?? new Date(), timeZone);
  return {
    date: new Intl.DateTimeFormat(options.locale, {
      timeZone,
      month: 'short',
      day: 'numeric',
      year: sameYear ? undefined : 'numeric',
    }).format(date),
    time: new Intl.DateTimeFormat(options.locale, { timeZone, hour: 'numeric', minute: '2-digit' }).format(date),
  };
}

/** The same on one line: "Nov 23, 2:00 PM", "Dec 30, 2025, 9:15 AM". */
export function formatInstant(iso: string | null | undefined, options: FormatOptions = {}): string | null {
  const parts = formatInstantParts(iso, options);
  return parts ? `${parts.date}, ${parts.time}` : null;
}

/** The full form for tooltips: "Sunday, November 23, 2026 at 2:00 PM GMT+1". */
export function formatInstantLong(iso: string | null | undefined, options: FormatOptions = {}): string | null {
  if (!iso) return null;
  const date = toDate(iso);
  if (!date) return null;
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone ?? viewerTimeZone(),
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(date);
}

/** Names a zone for a header or footnote: "Europe/Berlin (GMT+1)", or just "UTC". */
export function timeZoneLabel(options: FormatOptions = {}): string {
  const timeZone = options.timeZone ?? viewerTimeZone();
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
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
