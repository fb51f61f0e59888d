import { wilsonInterval } from './wilson';

describe('wilsonInterval', () => {
  it.each([
    // Reference values (95 %, z = 1.96), e.g. Newcombe 1998 / any statistics package, to 3 decimals.
    { successes: 8, trials: 10, low: 0.49, high: 0.943 },
    { successes: 9, trials: 10, low: 0.596, high: 0.982 },
    { successes: 0, trials: 10, low: 0, high: 0.278 },
    { successes: 10, trials: 10, low: 0.722, high: 1 },
    { successes: 1, trials: 1, low: 0.207, high: 1 },
    { successes: 81, trials: 263, low: 0.255, high: 0.366 },
  ])('$successes of $trials → [$low, $high]', ({ successes, trials, low, high }) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval?.low).toBeCloseTo(low, 3);
    expect(interval?.high).toBeCloseTo(high, 3);
  });

  it('contains the observed proportion and narrows as the sample grows', () => {
    let previous = Infinity;
    for (const n of [5, 20, 80, 320, 1280]) {
      const k = Math.round(n * 0.7);
      const i = wilsonInterval(k, n)!;
      expect(i.low).toBeLessThanOrEqual(k / n);
      expect(i.high).toBeGreaterThanOrEqual(k / n);
      expect(i.high - i.low).toBeLessThan(previous);
      previous = i.high - i.low;
    }
  });

  it('has no interval without trials or with impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(3, 2)).toBeNull();
    expect(wilsonInterval(-1, 2)).toBeNull();
  });
});
