import fc from 'fast-check';
import { AdaptiveLevel } from '../calibration';
import { DtaciLevel, expectedPinball, missProbability, PooledDtaci, type PitObservation } from './dtaci';

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
 * A stream of PITs from a model that does not follow drift: the true u at step t is v^p(t) for v uniform,
 * so the model is calibrated only when p = 1. p drifts (slow sinusoid + random walk) or steps.
 */
function pitStream(seed: number, n: number, power: (t: number, r: () => number) => number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let t = 0; t < n; t++) out.push(r() ** power(t, r));
  return out;
}

/** Runs a tracker over a stream; outcomes are known `delay` steps later, a miss only as "u above the level". */
function run(tr: { level: number; observe?(o: PitObservation, used: number): void; update(kept: boolean): void }, us: number[], delay = 0): boolean[] {
  const kept: boolean[] = [];
  const pending: { at: number; o: PitObservation; used: number; kept: boolean }[] = [];
  for (let t = 0; t < us.length; t++) {
    while (pending.length && pending[0].at <= t) {
      const p = pending.shift() as (typeof pending)[number];
      if (tr.observe) tr.observe(p.o, p.used);
      else tr.update(p.kept);
    }
    const l = tr.level;
    const k = us[t] <= l;
    kept.push(k);
    // Kept: the duration is known when the case closes (exact PIT); missed: only that it passed the promise.
    pending.push({ at: t + delay, o: k ? { lo: us[t], hi: us[t] } : { lo: l, hi: 1 }, used: l, kept: k });
  }
  return kept;
}

const rate = (xs: boolean[], from = 0, to = xs.length) => xs.slice(from, to).filter(Boolean).length / (to - from);

describe('DtaciLevel', () => {
  it('keeps long-run coverage within ±0.01 of the target on drifting streams, with and without late outcomes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(0.7, 0.8, 0.9, 0.95), fc.constantFrom(0, 25, 200), (seed, target, delay) => {
        let walk = 0;
        const us = pitStream(seed, 20_000, (t, r) => {
          walk = Math.max(-1, Math.min(1, walk + (r() - 0.5) * 0.05));
          return Math.exp(0.8 * Math.sin(t / 1500) + walk);
        });
        const kept = run(new DtaciLevel(target), us, delay);
        expect(Math.abs(rate(kept) - target)).toBeLessThanOrEqual(0.01);
      }),
      { numRuns: 12 },
    );
  });

  it('recovers after a step change within 1,000 outcomes, sooner than the slow single tracker', () => {
    const target = 0.9;
    const step = 10_000;
    const us = pitStream(7, 20_000, (t) => (t < step ? 1 : 0.25)); // service suddenly much slower
    const dt = run(new DtaciLevel(target), us);
    const slow = run(new AdaptiveLevel(target, 0.005), us);
    // Recovery: the first outcome after the change from which the next 300 are kept within ±0.03 of target.
    const recovery = (kept: boolean[]) => {
      for (let t = step; t + 300 <= kept.length; t++) if (Math.abs(rate(kept, t, t + 300) - target) <= 0.03) return t - step;
      return Infinity;
    };
    expect(recovery(dt)).toBeLessThanOrEqual(1_000);
    expect(recovery(dt)).toBeLessThan(recovery(slow));
    // Stays calibrated after recovering, and before the change (no oscillation in a stationary stretch).
    expect(Math.abs(rate(dt, step + 2_000, us.length) - target)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(rate(dt, 2_000, step) - target)).toBeLessThanOrEqual(0.01);
  });

  it('late outcomes in two steps: a miss first (experts at or below the promise), the rest at the follow-up', () => {
    const a = new DtaciLevel(0.9, { steps: [0.01, 0.05], integratorStep: 0 });
    a.experts.set([0.85, 0.95]);
    a.observeMissed(0.9);
    expect(a.experts[0]).toBeCloseTo(0.85 + 0.01 * 0.9); // miss below the promise: raised now
    expect(a.experts[1]).toBe(0.95); // above: waits
    const w = Array.from(a.weights);
    expect(Array.from(a.weights)).toEqual(w);
    a.observeFollowUp({ lo: 0.93, hi: 0.93 }, 0.9); // it closed at PIT 0.93: kept at 0.95
    expect(a.experts[0]).toBeCloseTo(0.85 + 0.01 * 0.9);
    expect(a.experts[1]).toBeCloseTo(0.95 - 0.05 * 0.1);
    expect(a.weights[1]).toBeGreaterThan(a.weights[0]); // 0.95 was closer to the outcome in pinball loss
  });

  it('does not oscillate on a stationary stream: its level varies less than the fastest expert alone', () => {
    const us = pitStream(3, 20_000, () => 1);
    const dt = new DtaciLevel(0.9);
    const fast = new AdaptiveLevel(0.9, 0.064);
    const ls: number[] = [];
    const lf: number[] = [];
    for (const u of us) {
      ls.push(dt.level);
      lf.push(fast.level);
      const l = dt.level;
      dt.observe(u <= l ? { lo: u, hi: u } : { lo: l, hi: 1 }, l);
      fast.update(u <= fast.level);
    }
    const sd = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
    };
    expect(sd(ls.slice(5_000))).toBeLessThan(sd(lf.slice(5_000)) / 2);
  });

  it('treats a censored miss as a miss below the promise and imputes above it', () => {
    const o = { lo: 0.8, hi: 1 };
    expect(missProbability(o, 0.7)).toBe(1);
    expect(missProbability(o, 0.9)).toBeCloseTo(0.5);
    expect(missProbability({ lo: 0.3, hi: 0.3 }, 0.5)).toBe(0);
    // Pinball loss is minimised at the τ-quantile of the interval.
    const losses = [0.82, 0.9, 0.96, 0.98].map((l) => expectedPinball(o, l, 0.9));
    expect(Math.min(...losses)).toBe(losses[3]);
  });

  it('late outcomes: a miss known only when the promise passed still counts toward coverage (no optimism)', () => {
    // Every case that misses stays open: only intervals arrive for misses, with a long lag.
    const us = pitStream(11, 20_000, () => 1.5);
    const kept = run(new DtaciLevel(0.9), us, 500);
    expect(Math.abs(rate(kept) - 0.9)).toBeLessThanOrEqual(0.01);
  });
});

describe('PooledDtaci', () => {
  it('a small segment uses the pooled level; a large one learns its own', () => {
    const p = new PooledDtaci(0.9, 200);
    const r = rng(5);
    // Segment 0: slow (u = v^0.3 → needs a high level); segment 1: fast. Segment 2 sees 5 outcomes.
    for (let t = 0; t < 20_000; t++) {
      const g = t % 2;
      const u = r() ** (g === 0 ? 0.3 : 3);
      const l = p.levelOf(g);
      p.observe(g, u <= l ? { lo: u, hi: u } : { lo: l, hi: 1 }, l);
    }
    for (let t = 0; t < 5; t++) p.observe(2, { lo: 0.99, hi: 1 }, p.levelOf(2));
    expect(p.levelOf(0)).toBeGreaterThan(p.levelOf(1) + 0.1);
    expect(Math.abs(p.levelOf(2) - p.pooled.level)).toBeLessThan(0.05);
    // Each large segment is calibrated on its own: level ≈ the 0.9-quantile of its PIT (0.9^(1/0.3)… in u).
    expect(p.levelOf(0)).toBeCloseTo(0.9 ** 0.3, 1);
    expect(p.levelOf(1)).toBeCloseTo(0.9 ** 3, 1);
  });
});
