import { LruCache } from './lru-cache';
import { MS_PER_DAY } from './units';

/*
 * Time-zone arithmetic on top of `Intl` (exact to the second of the tz database, no dependencies).
 *
 * A "local day number" is the number of days since 1970-01-01 of a local calendar date, and a
 * "local epoch" is a wall-clock date-time encoded as if it were UTC milliseconds. Converting a local
 * epoch to a real instant follows Temporal's `'compatible'` disambiguation: a wall time skipped by a
 * forward transition is moved forward by the length of the gap, and a repeated wall time resolves to
 * its earlier occurrence.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `true` when `Intl` knows the zone (IANA names, `"UTC"`, ...). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** UTC milliseconds of a proleptic Gregorian date-time, correct for years 0–99 as well. */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** Offset of `timeZone` from UTC at `epochMs` (local minus UTC), in milliseconds. */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return utcMs(year, month, day, hour, minute, second) - wholeSecond;
}

/**
 * Per zone and local day: the offset valid from a day before the local day until a day after it,
 * or `NaN` when a transition happens anywhere near (then each wall time is resolved individually).
 */
const uniformOffsets = new LruCache<string, number>(16_384);

function uniformOffsetOfDay(timeZone: string, localDay: number): number {
  const key = `${timeZone}|${localDay}`;
  let offset = uniformOffsets.get(key);
  if (offset === undefined) {
    const before = zoneOffsetMs(timeZone, (localDay - 1) * MS_PER_DAY);
    const after = zoneOffsetMs(timeZone, (localDay + 2) * MS_PER_DAY);
    offset = before === after ? before : Number.NaN;
    uniformOffsets.set(key, offset);
  }
  return offset;
}

/** Resolves a local epoch near a transition (Temporal `'compatible'`). */
function resolveNearTransition(timeZone: string, localEpoch: number): number {
  const offsetBefore = zoneOffsetMs(timeZone, localEpoch - MS_PER_DAY);
  const offsetAfter = zoneOffsetMs(timeZone, localEpoch + MS_PER_DAY);
  let earliest = Number.POSITIVE_INFINITY;
  for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
    const candidate = localEpoch - offset;
    if (zoneOffsetMs(timeZone, candidate) === offset && candidate < earliest) earliest = candidate;
  }
  // No candidate: the wall time was skipped; interpret it with the offset before the gap.
  return Number.isFinite(earliest) ? earliest : localEpoch - offsetBefore;
}

/**
 * The instant of wall-clock time `msOfDay` on local day `localDay` in `timeZone`
 * (Temporal `'compatible'` disambiguation). `msOfDay` must lie within `[0, 24h)`.
 */
export function localToInstant(timeZone: string, localDay: number, msOfDay: number): number {
  const localEpoch = localDay * MS_PER_DAY + msOfDay;
  const offset = uniformOffsetOfDay(timeZone, localDay);
  return Number.isNaN(offset) ? resolveNearTransition(timeZone, localEpoch) : localEpoch - offset;
}

/** The local day number (days since 1970-01-01) of `epochMs` in `timeZone`. */
export function localDayOf(timeZone: string, epochMs: number): number {
  return Math.floor((epochMs + zoneOffsetMs(timeZone, epochMs)) / MS_PER_DAY);
}

const MS_PER_HOUR = 3_600_000;

/**
 * Converts many wall-clock times of one zone to instants, fast: the same resolution as
 * {@link localToInstant} (Temporal `'compatible'`: a wall time skipped by a forward transition moves
 * forward by the gap, a repeated one takes its earlier occurrence), with the offsets cached per local
 * hour — so a million rows cost a million Map look-ups, not a million `Intl` calls. On the few days near
 * a transition an hour is cached only when its first and last millisecond and its quarter hours all
 * resolve with one offset; otherwise (a zone that shifts at the half hour, such as
 * Australia/Lord_Howe) each wall time of that hour is resolved on its own.
 *
 * @throws RangeError from the constructor for an unknown zone.
 */
export class ZoneConverter {
  /** Per local hour (local epoch / 1 h): the offset of every wall time in it. */
  private readonly hours = new Map<number, number>();
  /** Local hours near a transition whose wall times are resolved one by one. */
  private readonly mixedHours = new Set<number>();

  constructor(readonly zone: string) {
    if (!isValidTimeZone(zone)) throw new RangeError(`unknown time zone ${JSON.stringify(zone)}`);
  }

  /** The instant (epoch ms) of a local wall-clock time given as a local epoch (as if it were UTC). */
  toInstant(localEpochMs: number): number {
    const hour = Math.floor(localEpochMs / MS_PER_HOUR);
    const offset = this.hours.get(hour);
    return offset === undefined ? this.uncached(localEpochMs, hour) : localEpochMs - offset;
  }

  private uncached(localEpochMs: number, hour: number): number {
    if (this.mixedHours.has(hour)) return resolveNearTransition(this.zone, localEpochMs);
    const offset = this.offsetOfHour(hour);
    if (Number.isNaN(offset)) {
      this.mixedHours.add(hour);
      return resolveNearTransition(this.zone, localEpochMs);
    }
    if (this.hours.size > 500_000) this.hours.clear();
    this.hours.set(hour, offset);
    return localEpochMs - offset;
  }

  private offsetOfHour(hour: number): number {
    const start = hour * MS_PER_HOUR;
    const uniform = uniformOffsetOfDay(this.zone, Math.floor(start / MS_PER_DAY));
    if (!Number.isNaN(uniform)) return uniform;
    // Near a transition: one offset only if the hour's first and last millisecond and its quarter hours
    // all resolve with it (a zone shifting at the half hour resolves the hour's times one by one).
    const offset = start - resolveNearTransition(this.zone, start);
    for (const at of [start + 900_000, start + 1_800_000, start + 2_700_000, start + MS_PER_HOUR - 1]) {
      if (at - resolveNearTransition(this.zone, at) !== offset) return Number.NaN;
    }
    return offset;
  }
}
