import type { StoredCase } from '@kept/history';
import { chooseLevels, LEVELS, levelValues } from './model-build';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** A deterministic pseudo-random stream (mulberry32), so the planted data is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` cases, one an hour: the queue decides the duration (fast ≈ 2 h, slow ≈ 200 h, exponential), while
 * category, priority and the "noise" segment are drawn independently of it.
 */
function history(n: number, seed = 7): StoredCase[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const slow = r() < 0.5;
    const openedAt = T0 + i * HOUR;
    return {
      id: `c${i}`,
      openedAt,
      doneAt: openedAt + -Math.log(1 - r()) * (slow ? 200 : 2) * HOUR,
      category: `cat${Math.floor(r() * 3)}`,
      priority: 'normal',
      customerId: 'cust',
      cancelled: false,
      segments: { queue: slow ? 'slow lane' : 'fast lane', noise: `n${Math.floor(r() * 20)}` },
    };
  });
}

describe('chooseLevels (the API model build chooses its levels as kept evaluate does)', () => {
  it('chooses the planted informative segment of the stored cases and leaves the noisy one out', () => {
    const cases = history(3000);
    const now = cases[cases.length - 1].openedAt + 1000 * HOUR;
    const levels = chooseLevels(cases, now, 0.9);
    expect(levels[0]).toBe('queue');
    expect(levels).not.toContain('noise');
  });

  it('keeps the built-in levels below the threshold of history', () => {
    const cases = history(200);
    expect(chooseLevels(cases, cases[199].openedAt + 1000 * HOUR, 0.9)).toEqual(LEVELS);
  });

  it('reads each level from the built-in fields, else from the extra segments by name', () => {
    expect(levelValues(['queue', 'category', 'region', 'priority', 'missing'], { category: 'c', priority: 'high', region: 'north', segments: { queue: 'q1' } })).toEqual(['q1', 'c', 'north', 'high', undefined]);
  });
});
