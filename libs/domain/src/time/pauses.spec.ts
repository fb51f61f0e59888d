import { at, berlinNineToFive } from './testing/calendar.factory';
import { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingInstant } from './business-time';
import { alwaysOpenCalendar } from './calendar';
import { NO_PAUSES, normalizePauses } from './pauses';
import type { Pause } from './types';
import { MAX_TIME_MS } from './units';

const NINE_TO_FIVE = berlinNineToFive();

// Week of Monday 2026-03-02 (CET, +01:00), Mon–Fri 09:00–17:00 Europe/Berlin.
const mon = (time: string) => at(`2026-03-02T${time}+01:00`);
const tue = (time: string) => at(`2026-03-03T${time}+01:00`);
const fri = (time: string) => at(`2026-03-06T${time}+01:00`);
const pause = (from: Date, to: Date | null): Pause => ({ from, to });
const MAX = new Date(MAX_TIME_MS).toISOString();

describe('normalizePauses', () => {
  it('returns the empty set for no pauses', () => {
    expect(normalizePauses(undefined)).toBe(NO_PAUSES);
    expect(normalizePauses([])).toBe(NO_PAUSES);
  });

  it('sorts, merges overlapping and touching pauses and drops empty or reversed ones', () => {
    const set = normalizePauses([
      pause(at('2026-01-05T00:00:00Z'), at('2026-01-06T00:00:00Z')),
      pause(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')),
      pause(at('2026-01-01T12:00:00Z'), at('2026-01-03T00:00:00Z')),
      pause(at('2026-01-03T00:00:00Z'), at('2026-01-04T00:00:00Z')),
      pause(at('2026-02-01T00:00:00Z'), at('2026-02-01T00:00:00Z')),
      pause(at('2026-03-02T00:00:00Z'), at('2026-03-01T00:00:00Z')),
    ]);
    expect(set.starts).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 5)]);
    expect(set.ends).toEqual([Date.UTC(2026, 0, 4), Date.UTC(2026, 0, 6)]);
    expect(set.openFrom).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps the open-ended pause apart and swallows pauses after it', () => {
    const set = normalizePauses([
      pause(at('2026-01-10T00:00:00Z'), at('2026-01-20T00:00:00Z')),
      pause(at('2026-01-05T00:00:00Z'), null),
      pause(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')),
    ]);
    expect(set.starts).toEqual([Date.UTC(2026, 0, 1)]);
    expect(set.ends).toEqual([Date.UTC(2026, 0, 2)]);
    expect(set.openFrom).toBe(Date.UTC(2026, 0, 5));
  });

  it('rejects invalid dates', () => {
    expect(() => normalizePauses([pause(at('2026-01-01T00:00:00Z'), new Date(Number.NaN))])).toThrow(RangeError);
    expect(() => normalizePauses([null as unknown as Pause])).toThrow(RangeError);
  });
});

describe('business time with pauses', () => {
  it('a pause inside working time stops the clock', () => {
    const pauses = [pause(mon('10:00'), mon('11:00'))];
    expect(addBusinessTime(mon('09:00'), 120, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('12:00').toISOString());
    expect(addBusinessTime(mon('09:00'), 60, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('10:00').toISOString());
    expect(businessTimeBetween(mon('09:00'), mon('17:00'), NINE_TO_FIVE, pauses)).toBe(420);
    expect(isWorkingTime(mon('10:30'), NINE_TO_FIVE, pauses)).toBe(false);
    expect(isWorkingTime(mon('11:00'), NINE_TO_FIVE, pauses)).toBe(true);
    expect(nextWorkingInstant(mon('10:30'), NINE_TO_FIVE, pauses).toISOString()).toBe(mon('11:00').toISOString());
  });

  it('a pause spanning a night', () => {
    const pauses = [pause(mon('16:00'), tue('10:00'))];
    expect(addBusinessTime(mon('09:00'), 480, NINE_TO_FIVE, pauses).toISOString()).toBe(tue('11:00').toISOString());
    expect(businessTimeBetween(mon('09:00'), tue('17:00'), NINE_TO_FIVE, pauses)).toBe(840);
    expect(addBusinessTime(tue('11:00'), -480, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('09:00').toISOString());
  });

  it('due times are recomputed from the original start, skipping the paused span', () => {
    const pauses = [pause(mon('12:00'), mon('14:00'))];
    expect(addBusinessTime(mon('09:00'), 480, NINE_TO_FIVE, pauses).toISOString()).toBe(tue('11:00').toISOString());
  });

  it('a pause outside working time changes nothing', () => {
    const pauses = [pause(at('2026-03-07T08:00:00+01:00'), at('2026-03-08T20:00:00+01:00'))];
    expect(addBusinessTime(fri('16:00'), 120, NINE_TO_FIVE, pauses).toISOString()).toBe(
      at('2026-03-09T10:00:00+01:00').toISOString(),
    );
    expect(businessTimeBetween(mon('09:00'), at('2026-03-09T17:00:00+01:00'), NINE_TO_FIVE, pauses)).toBe(2880);
  });

  it('overlapping pauses are merged, not subtracted twice', () => {
    const pauses = [
      pause(mon('10:00'), mon('11:30')),
      pause(mon('11:00'), mon('12:00')),
      pause(mon('11:45'), mon('12:30')),
    ];
    expect(businessTimeBetween(mon('09:00'), mon('17:00'), NINE_TO_FIVE, pauses)).toBe(480 - 150);
    expect(addBusinessTime(mon('09:00'), 61, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('12:31').toISOString());
  });

  it('a pause that started before the start delays the start', () => {
    const pauses = [pause(mon('08:00'), mon('10:00'))];
    expect(addBusinessTime(mon('09:00'), 0, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('10:00').toISOString());
    expect(addBusinessTime(mon('09:00'), 30, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('10:30').toISOString());
    expect(isWorkingTime(mon('09:30'), NINE_TO_FIVE, pauses)).toBe(false);
    expect(isWorkingTime(mon('10:00'), NINE_TO_FIVE, pauses)).toBe(true);
  });

  it('an open-ended pause stops the clock for good', () => {
    const pauses = [pause(mon('12:00'), null)];
    expect(addBusinessTime(mon('09:00'), 120, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('11:00').toISOString());
    expect(addBusinessTime(mon('09:00'), 180, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('12:00').toISOString());
    expect(addBusinessTime(mon('09:00'), 181, NINE_TO_FIVE, pauses).toISOString()).toBe(MAX);
    expect(addBusinessTime(mon('13:00'), 0, NINE_TO_FIVE, pauses).toISOString()).toBe(MAX);
    expect(nextWorkingInstant(mon('13:00'), NINE_TO_FIVE, pauses).toISOString()).toBe(MAX);
    expect(isWorkingTime(mon('13:00'), NINE_TO_FIVE, pauses)).toBe(false);
    expect(businessTimeBetween(mon('09:00'), fri('17:00'), NINE_TO_FIVE, pauses)).toBe(180);
    expect(businessTimeBetween(mon('09:00'), new Date(MAX_TIME_MS), NINE_TO_FIVE, pauses)).toBe(180);
    expect(businessTimeBetween(new Date(MAX_TIME_MS), mon('09:00'), NINE_TO_FIVE, pauses)).toBe(-180);
    // Going backwards from inside the open-ended pause counts from its start.
    expect(addBusinessTime(fri('12:00'), -60, NINE_TO_FIVE, pauses).toISOString()).toBe(mon('11:00').toISOString());
  });

  it('a finite pause after an open-ended one is irrelevant', () => {
    const pauses = [pause(mon('12:00'), null), pause(tue('09:00'), tue('10:00'))];
    expect(businessTimeBetween(mon('09:00'), fri('17:00'), NINE_TO_FIVE, pauses)).toBe(180);
  });

  it('several pauses on a 24/7 calendar subtract exactly', () => {
    const cal = alwaysOpenCalendar();
    const pauses = [
      pause(at('2026-05-01T10:00:00Z'), at('2026-05-01T10:00:30Z')),
      pause(at('2026-05-01T11:00:00.250Z'), at('2026-05-01T11:00:00.500Z')),
    ];
    expect(businessTimeBetween(at('2026-05-01T00:00:00Z'), at('2026-05-02T00:00:00Z'), cal, pauses)).toBe(
      1440 - 0.5 - 0.25 / 60,
    );
    expect(addBusinessTime(at('2026-05-01T09:59:00Z'), 2, cal, pauses).toISOString()).toBe('2026-05-01T10:01:30.000Z');
  });

  it('long pauses are skipped without walking every day', () => {
    const pauses = [pause(at('2026-01-01T00:00:00Z'), at('2056-01-01T00:00:00Z'))];
    // 2056-01-01 is a Saturday: Monday 2056-01-03 opens 09:00 CET (08:00Z); 2025-12-31 is a Wednesday.
    expect(addBusinessTime(at('2026-03-02T09:00:00+01:00'), 60, NINE_TO_FIVE, pauses).toISOString()).toBe(
      '2056-01-03T09:00:00.000Z',
    );
    expect(addBusinessTime(at('2056-01-03T08:00:00Z'), -60, NINE_TO_FIVE, pauses).toISOString()).toBe(
      '2025-12-31T15:00:00.000Z',
    );
  });
});
