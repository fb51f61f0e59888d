import type { TimestampFormat } from '@kept/contracts';
import { ZoneConverter } from '@kept/domain';

const DAY = 86_400_000;

/** Wall-clock fields of a parsed timestamp; `offsetMin` is set when the text carried its own offset. */
interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  hasTime: boolean;
  offsetMin: number | null;
}

function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return end > start ? n : NaN;
}

/** Reads up to `max` digits from `pos`; returns [value, nextPos] or null. */
function readNum(text: string, pos: number, max: number): [number, number] | null {
  let end = pos;
  while (end < text.length && end - pos < max) {
    const c = text.charCodeAt(end);
    if (c < 48 || c > 57) break;
    end++;
  }
  if (end === pos) return null;
  return [digits(text, pos, end), end];
}

/** Parses `HH:MM[:SS[.fff]]` at pos. */
function readTime(text: string, pos: number, p: Parts): number {
  const h = readNum(text, pos, 2);
  if (!h || text.charCodeAt(h[1]) !== 58 /* : */) return -1;
  const mi = readNum(text, h[1] + 1, 2);
  if (!mi) return -1;
  p.h = h[0];
  p.mi = mi[0];
  p.hasTime = true;
  let at = mi[1];
  if (text.charCodeAt(at) === 58) {
    const s = readNum(text, at + 1, 2);
    if (!s) return -1;
    p.s = s[0];
    at = s[1];
    if (text.charCodeAt(at) === 46 /* . */ || text.charCodeAt(at) === 44 /* , */) {
      const f = readNum(text, at + 1, 9);
      if (!f) return -1;
      const len = f[1] - at - 1;
      p.ms = Math.floor(f[0] / 10 ** Math.max(0, len - 3)) * 10 ** Math.max(0, 3 - len);
      at = f[1];
    }
  }
  return at;
}

function readOffset(text: string, pos: number, p: Parts): number {
  const c = text.charCodeAt(pos);
  if (c === 90 /* Z */ || c === 122) {
    p.offsetMin = 0;
    return pos + 1;
  }
  if (c !== 43 && c !== 45) return pos;
  const sign = c === 45 ? -1 : 1;
  const hh = readNum(text, pos + 1, 2);
  if (!hh || hh[1] - pos - 1 !== 2) return -1;
  let at = hh[1];
  if (text.charCodeAt(at) === 58) at++;
  const mm = readNum(text, at, 2);
  let minutes = 0;
  if (mm) {
    minutes = mm[0];
    at = mm[1];
  }
  p.offsetMin = sign * (hh[0] * 60 + minutes);
  return at;
}

function parseParts(text: string, format: TimestampFormat): Parts | null {
  const p: Parts = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, ms: 0, hasTime: false, offsetMin: null };
  let at: number;
  if (format === 'iso') {
    if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
    p.y = digits(text, 0, 4);
    p.mo = digits(text, 5, 7);
    p.d = digits(text, 8, 10);
    at = 10;
  } else {
    const a = readNum(text, 0, 2);
    if (!a) return null;
    const sep = text.charCodeAt(a[1]);
    if (sep !== 47 && sep !== 45 && sep !== 46) return null;
    const b = readNum(text, a[1] + 1, 2);
    if (!b || text.charCodeAt(b[1]) !== sep) return null;
    const y = readNum(text, b[1] + 1, 4);
    if (!y || y[1] - b[1] - 1 !== 4) return null;
    if (format === 'us') {
      p.mo = a[0];
      p.d = b[0];
    } else {
      p.d = a[0];
      p.mo = b[0];
    }
    p.y = y[0];
    at = y[1];
  }
  if (at < text.length) {
    const sep = text.charCodeAt(at);
    if (sep !== 32 && sep !== 84 && sep !== 116) {
      if (format !== 'iso') return null;
      at = readOffset(text, at, p);
      return at === text.length ? p : null;
    }
    at = readTime(text, at + 1, p);
    if (at < 0) return null;
    if (format === 'us') {
      while (text.charCodeAt(at) === 32) at++;
      const ap = text.slice(at, at + 2).toUpperCase();
      if (ap === 'AM' || ap === 'PM') {
        if (p.h < 1 || p.h > 12) return null;
        p.h = (p.h % 12) + (ap === 'PM' ? 12 : 0);
        at += 2;
      }
    }
    if (format === 'iso') {
      at = readOffset(text, at, p);
      if (at < 0) return null;
    }
    if (at !== text.length) return null;
  }
  return p;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Wall-clock times of one zone to instants: the domain's resolver (one DST rule for all of Kept), with
 * its per-day offset cache for speed. Re-exported so readers of history keep one import.
 */
export { ZoneConverter };

export interface ParsedTimestamp {
  ms: number;
  /** The text had a date and no time of day. */
  dateOnly: boolean;
}

/**
 * Parses one timestamp. Returns null when the text is not a valid timestamp of the format (including
 * impossible dates such as 2015-02-30). `asDate` drops the time of day and returns the end of that
 * local day (23:59:59.999), which is what a date-only promise means; `dayEdge: 'start'` gives the day's
 * first instant instead (for a date-only creation time).
 */
export function parseTimestamp(
  text: string,
  format: TimestampFormat,
  zone: ZoneConverter,
  asDate = false,
  dayEdge: 'start' | 'end' = 'end',
): ParsedTimestamp | null {
  const p = parseParts(text.trim(), format);
  if (!p) return null;
  if (!(p.y >= 1900 && p.y <= 2200 && p.mo >= 1 && p.mo <= 12 && p.d >= 1 && p.d <= daysInMonth(p.y, p.mo))) return null;
  if (p.h > 23 || p.mi > 59 || p.s > 60) return null;
  const dateOnly = asDate || !p.hasTime;
  if (dateOnly) {
    // End of the local day: the instant of the next local midnight, minus 1 ms (or the day's start).
    const midnight = Date.UTC(p.y, p.mo - 1, p.d) + (dayEdge === 'end' ? DAY : 0);
    const ms = p.offsetMin !== null ? midnight - p.offsetMin * 60_000 : zone.toInstant(midnight);
    return { ms: dayEdge === 'end' ? ms - 1 : ms, dateOnly: true };
  }
  const local = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, Math.min(p.s, 59), p.ms);
  const ms = p.offsetMin !== null ? local - p.offsetMin * 60_000 : zone.toInstant(local);
  return { ms, dateOnly: false };
}
