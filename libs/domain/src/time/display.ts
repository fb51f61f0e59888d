import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** An instant as Kept shows it, split so narrow layouts can stack the parts. */
export interface InstantDisplay {
  /** "Tue 1 Dec", or "Tue 30 Dec 2025" outside the year of `now` (in the same zone). */
  date: string;
  /** "17:19" (24-hour clock). */
  time: string;
  /** The zone it is shown in: its IANA name ("Europe/Berlin"), or "UTC". */
  zone: string;
}

/** The label of a zone in every displayed time: the IANA name people set up sites with; UTC as "UTC". */
export function zoneName(zone: string): string {
  return zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === 'GMT' ? 'UTC' : zone;
}

/**
 * Kept's one date-and-time format, for every screen and every message (the web app's `lib/format.ts`
 * and the API's alert and engineer messages use it): weekday, day, month, 24-hour time and the zone it
 * is shown in, named — "Tue 1 Dec, 17:19 Europe/Berlin". The year appears only when it is not the year
 * of `now` in that zone. English names on purpose: one format, whatever the browser's locale, so a
 * dispatcher and an engineer read the same text.
 */
export function displayInstant(at: Date, zone: string, now: Date = new Date()): InstantDisplay {
  const local = new TZDate(at.getTime(), zone);
  const sameYear = local.getFullYear() === new TZDate(now.getTime(), zone).getFullYear();
  return { date: format(local, sameYear ? 'EEE d MMM' : 'EEE d MMM yyyy'), time: format(local, 'HH:mm'), zone: zoneName(zone) };
}

/** {@link displayInstant} on one line: "Tue 1 Dec, 17:19 Europe/Berlin". */
export function formatInstantIn(at: Date, zone: string, now: Date = new Date()): string {
  const d = displayInstant(at, zone, now);
  return `${d.date}, ${d.time} ${d.zone}`;
}

/** The long form for tooltips: "Tuesday 1 December 2026, 17:19 Europe/Berlin (GMT+1)". */
export function formatInstantLongIn(at: Date, zone: string): string {
  const local = new TZDate(at.getTime(), zone);
  const offset = format(local, 'xxx');
  return `${format(local, 'EEEE d MMMM yyyy, HH:mm')} ${zoneName(zone)} (${offset === 'Z' || offset === '+00:00' ? 'UTC' : `GMT${offset.replace(/:00$/, '').replace(/^([+-])0/, '$1')}`})`;
}
