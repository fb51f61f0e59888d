import fc from 'fast-check';
import { conditionalKeepProbability } from './keep-probability';

describe('conditionalKeepProbability', () => {
  it.each([
    // [F(promise), F(now), promise passed, expected]
    [0.9, 0, false, 0.9],
    [0.9, 0.5, false, 0.8],
    [0.6, 0.2, false, 0.5],
    [1, 0.7, false, 1],
    [0.5, 0.5, false, 0],
    [0.49, 0.5, false, 0], // calibration noise below F(now) clamps to 0
    [0.9, 0.5, true, 0],
    [0.9, 1, true, 0],
    [0.9, 1, false, null],
    [Number.NaN, 0.2, false, null],
  ])('F(promise)=%p, F(now)=%p, passed=%p → %p', (fPromise, fNow, passed, expected) => {
    const p = conditionalKeepProbability(fPromise, fNow, passed);
    if (expected === null) expect(p).toBeNull();
    else expect(p).toBeCloseTo(expected, 12);
  });

  it('is monotone non-increasing as the case runs on (F(now) grows towards F(promise))', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (fPromise, a, b) => {
          // A survival model's F is a CDF: F(now) ≤ F(promise) while now ≤ promise.
          const earlier = Math.min(a, b) * fPromise;
          const later = Math.max(a, b) * fPromise;
          const before = conditionalKeepProbability(fPromise, earlier, false);
          const after = conditionalKeepProbability(fPromise, later, false);
          if (before === null || after === null) return true;
          return after <= before + 1e-12 && after >= 0 && before <= 1;
        },
      ),
    );
  });

  it('drops to 0 once the promise has passed, whatever the forecast said', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (fPromise, fNow) => {
        return conditionalKeepProbability(fPromise, fNow, true) === 0;
      }),
    );
  });
});
