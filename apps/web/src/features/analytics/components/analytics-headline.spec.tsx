import type { CalibrationBin } from '@kept/contracts';
import { analyticsHeadline } from './analytics-headline';
import { bucketLabel } from './analytics-view';

const totals = (kept: number, missed: number, needMet: number, needMissed: number) => ({
  closed: kept + missed,
  kept,
  missed,
  keepRate: kept / (kept + missed || 1),
  needMet,
  needMissed,
  open: 3,
});
const bin = (from: number, promises: number, kept: number, predicted: number, low: number, high: number): CalibrationBin => ({
  from,
  to: from + 0.1,
  promises,
  kept,
  observed: kept / promises,
  predicted,
  interval: { low, high },
});

describe('analyticsHeadline', () => {
  it.each([
    // The example: the keep-rate looks fine, the needs do not.
    { t: totals(88, 12, 72, 28), target: 0.85, text: '88 % of promises kept, but 28 % of needs missed', tone: 'bad' },
    { t: totals(70, 30, 80, 20), target: 0.9, text: 'Only 70 % of promises kept (target 90 %), and 20 % of needs missed', tone: 'bad' },
    { t: totals(95, 5, 60, 0), target: 0.9, text: '95 % of promises kept, and every need met', tone: 'good' },
    { t: totals(9, 1, 0, 0), target: 0.9, text: '90 % of promises kept', tone: 'good' },
  ])('$text', ({ t, target, text, tone }) => {
    const h = analyticsHeadline({ totals: t, targetKeepRate: target, calibration: [] });
    expect(h).toMatchObject({ text, tone, calibration: null });
  });

  it('says what it rests on, and nothing without a decided promise', () => {
    expect(analyticsHeadline({ totals: totals(88, 12, 72, 28), targetKeepRate: 0.85, calibration: [] })?.basis).toBe(
      'From 100 decided promises and 100 cases with a recorded need; target keep-rate 85 %.',
    );
    expect(analyticsHeadline({ totals: totals(0, 0, 0, 0), targetKeepRate: 0.9, calibration: [] })).toBeNull();
  });

  it('names the worst-calibrated bin only when its promised rate lies outside the observed interval of 20+ promises', () => {
    const calibration = [
      // 90 % promised, 74 % kept of 120: the interval (66–81 %) excludes 90 % — more than chance.
      bin(0.9, 120, 89, 0.93, 0.657, 0.811),
      // 75 % promised, 60 % kept of 5: far off, but the interval (23–88 %) includes 75 % — could be chance.
      bin(0.7, 5, 3, 0.75, 0.231, 0.882),
    ];
    expect(analyticsHeadline({ totals: totals(88, 12, 72, 28), targetKeepRate: 0.85, calibration })?.calibration).toBe(
      'The forecasts over-promise: promises given 93 % on average were kept 74 % of the time (66–81 %, 120 promises).',
    );
    expect(analyticsHeadline({ totals: totals(88, 12, 72, 28), targetKeepRate: 0.85, calibration: calibration.slice(1) })?.calibration).toBeNull();
    // 0 of 3 kept at 64 % promised: outside its interval (0–56 %), but 3 promises make no headline.
    expect(analyticsHeadline({ totals: totals(88, 12, 72, 28), targetKeepRate: 0.85, calibration: [bin(0.6, 3, 0, 0.64, 0, 0.562)] })?.calibration).toBeNull();
  });
});

describe('bucketLabel', () => {
  it('is short enough to sit under its bar, the unit said once on the axis', () => {
    const b = (fromHours: number, toHours: number) => ({ fromHours, toHours, count: 1 });
    expect(bucketLabel(b(-48, -24), true, false)).toBe('<−24');
    expect(bucketLabel(b(-8, -4), false, false)).toBe('−8…−4');
    expect(bucketLabel(b(0, 1), false, false)).toBe('0…1');
    expect(bucketLabel(b(24, 48), false, true)).toBe('≥24');
  });
});
