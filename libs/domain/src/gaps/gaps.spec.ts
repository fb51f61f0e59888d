import { alwaysOpenCalendar } from '../time/calendar';
import { berlinNineToFive } from '../time/testing/calendar.factory';
import type { Pause } from '../time/types';
import { computeGaps, gapBetween, type FourTimes } from './gaps';

const NINE_TO_FIVE = berlinNineToFive();

const cet = (date: string, time: string) => new Date(`${date}T${time}:00+01:00`);
const MON = '2026-03-02';
const TUE = '2026-03-03';
const WED = '2026-03-04';

const base: FourTimes = {
  openedAt: cet(MON, '09:00'),
  requiredAt: cet(TUE, '12:00'),
  expectedAt: cet(TUE, '09:00'),
  promisedAt: cet(TUE, '10:00'),
  satisfiedAt: cet(TUE, '09:30'),
};

describe('gapBetween', () => {
  it('is later minus earlier, in wall and business minutes', () => {
    expect(gapBetween(cet(TUE, '10:00'), cet(MON, '16:00'), NINE_TO_FIVE)).toEqual({
      wallMinutes: 1080,
      businessMinutes: 120,
    });
  });

  it('is negative when the later time is actually earlier', () => {
    expect(gapBetween(cet(MON, '16:00'), cet(TUE, '10:00'), NINE_TO_FIVE)).toEqual({
      wallMinutes: -1080,
      businessMinutes: -120,
    });
  });

  it('is zero (not negative zero) for equal times', () => {
    const gap = gapBetween(cet(MON, '16:00'), cet(MON, '16:00'), NINE_TO_FIVE);
    expect(Object.is(gap?.wallMinutes, 0)).toBe(true);
    expect(Object.is(gap?.businessMinutes, 0)).toBe(true);
  });

  it('is null when either time is missing', () => {
    expect(gapBetween(null, cet(MON, '16:00'), NINE_TO_FIVE)).toBeNull();
    expect(gapBetween(cet(MON, '16:00'), null, NINE_TO_FIVE)).toBeNull();
  });
});

describe('computeGaps', () => {
  it('a promise kept inside the need', () => {
    const gaps = computeGaps(base, cet(WED, '12:00'), NINE_TO_FIVE);
    expect(gaps).toEqual({
      promisedMinusRequired: { wallMinutes: -120, businessMinutes: -120 },
      promisedMinusExpected: { wallMinutes: 60, businessMinutes: 60 },
      satisfiedMinusPromised: { wallMinutes: -30, businessMinutes: -30 },
      satisfiedMinusRequired: { wallMinutes: -150, businessMinutes: -150 },
      promise: 'kept',
      need: 'kept',
    });
  });

  it('a missed promise and a missed need, across a night', () => {
    const gaps = computeGaps({ ...base, satisfiedAt: cet(WED, '10:00') }, cet(WED, '12:00'), NINE_TO_FIVE);
    expect(gaps.satisfiedMinusPromised).toEqual({ wallMinutes: 1440, businessMinutes: 480 });
    expect(gaps.satisfiedMinusRequired).toEqual({ wallMinutes: 1320, businessMinutes: 360 });
    expect(gaps.promise).toBe('missed');
    expect(gaps.need).toBe('missed');
  });

  it('open while unsatisfied and before the deadlines; missed once now passes them', () => {
    const open = { ...base, satisfiedAt: null };
    const before = computeGaps(open, cet(TUE, '09:45'), NINE_TO_FIVE);
    expect(before.promise).toBe('open');
    expect(before.need).toBe('open');
    expect(before.satisfiedMinusPromised).toBeNull();
    expect(before.satisfiedMinusRequired).toBeNull();
    expect(before.promisedMinusRequired).toEqual({ wallMinutes: -120, businessMinutes: -120 });

    const between = computeGaps(open, cet(TUE, '11:00'), NINE_TO_FIVE);
    expect(between.promise).toBe('missed');
    expect(between.need).toBe('open');

    const after = computeGaps(open, cet(TUE, '12:01'), NINE_TO_FIVE);
    expect(after.need).toBe('missed');
  });

  it('a promise made after the need (positive promised − required)', () => {
    const gaps = computeGaps({ ...base, promisedAt: cet(WED, '12:00') }, cet(TUE, '08:00'), NINE_TO_FIVE);
    expect(gaps.promisedMinusRequired).toEqual({ wallMinutes: 1440, businessMinutes: 480 });
    expect(gaps.promise).toBe('kept');
  });

  it('null times give null gaps and null verdicts', () => {
    const gaps = computeGaps(
      { openedAt: cet(MON, '09:00'), requiredAt: null, expectedAt: null, promisedAt: null, satisfiedAt: null },
      cet(MON, '10:00'),
      NINE_TO_FIVE,
    );
    expect(gaps).toEqual({
      promisedMinusRequired: null,
      promisedMinusExpected: null,
      satisfiedMinusPromised: null,
      satisfiedMinusRequired: null,
      promise: null,
      need: null,
    });
  });

  it('only the gaps with both times are computed', () => {
    const gaps = computeGaps({ ...base, expectedAt: null, requiredAt: null }, cet(WED, '12:00'), NINE_TO_FIVE);
    expect(gaps.promisedMinusRequired).toBeNull();
    expect(gaps.promisedMinusExpected).toBeNull();
    expect(gaps.satisfiedMinusPromised).toEqual({ wallMinutes: -30, businessMinutes: -30 });
    expect(gaps.need).toBeNull();
    expect(gaps.promise).toBe('kept');
  });

  it('business gaps honour pauses; wall gaps do not', () => {
    const pauses: Pause[] = [{ from: cet(TUE, '09:00'), to: cet(TUE, '09:30') }];
    const gaps = computeGaps({ ...base, satisfiedAt: cet(TUE, '11:00') }, cet(WED, '12:00'), NINE_TO_FIVE, pauses);
    expect(gaps.satisfiedMinusPromised).toEqual({ wallMinutes: 60, businessMinutes: 60 });
    expect(gaps.promisedMinusExpected).toEqual({ wallMinutes: 60, businessMinutes: 30 });
  });

  it('on a 24/7 calendar business gaps equal wall gaps', () => {
    const gaps = computeGaps(base, cet(WED, '12:00'), alwaysOpenCalendar('Europe/Berlin'));
    for (const gap of [
      gaps.promisedMinusRequired,
      gaps.promisedMinusExpected,
      gaps.satisfiedMinusPromised,
      gaps.satisfiedMinusRequired,
    ]) {
      expect(gap?.businessMinutes).toBe(gap?.wallMinutes);
    }
  });

  it('rejects an invalid calendar or now', () => {
    expect(() => computeGaps(base, cet(WED, '12:00'), berlinNineToFive({ timeZone: 'Nope/Nope' }))).toThrow(RangeError);
    expect(() => computeGaps(base, new Date(Number.NaN), NINE_TO_FIVE)).toThrow(RangeError);
  });
});
