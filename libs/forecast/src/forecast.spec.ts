import fc from 'fast-check';
import { CaseTable, evaluate } from './evaluate';
import { expectation } from './expectation';
import { ForecastModel } from './model';
import { KAPPA_MAX } from './model-types';
import { joinModel, reviveModel, reviveSegments, splitModel } from './model-transfer';
import { AdaptiveLevel, Calibrator } from './calibration';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal, lognormal: (medianMs: number, sigma: number) => medianMs * Math.exp(sigma * normal()) };
}

/** Exact quantile of a lognormal: median · exp(σ · z_p). */
const Z90 = 1.2815515655446004;

describe('ForecastModel', () => {
  it('takes per-customer cases when it has no levels (all cases pooled, as the level choice may decide)', () => {
    const r = rng(3);
    const m = new ForecastModel([], { halfLifeDays: Infinity });
    const slow = m.pathOf([], 'slow customer');
    const rest = m.pathOf([]);
    expect(slow[1]).toBeGreaterThan(0); // the customer's node, below all cases
    for (let i = 0; i < 2000; i++) m.addClosed(rest, i * 60_000, r.lognormal(2 * HOUR, 0.5));
    for (let i = 0; i < 400; i++) m.addClosed(slow, i * 60_000, r.lognormal(20 * HOUR, 0.5));
    m.beginEpoch();
    m.estimatePriorStrengths();
    // The estimate of the prior strengths walks every node (it failed on a customer node without a parent).
    expect(m.recommendPath(slow, 0.5).promiseMs / (2 * HOUR)).toBeGreaterThan(1);
    expect(m.basisOf(slow[1], false)).toMatchObject({ levels: ['customer'], segment: ['slow customer'] });
  });

  it('recovers the quantiles of a known distribution', () => {
    const r = rng(1);
    const m = new ForecastModel([], { halfLifeDays: Infinity });
    const path = m.pathOf([]);
    for (let i = 0; i < 20_000; i++) m.addClosed(path, i * 60_000, r.lognormal(10 * HOUR, 1));
    m.beginEpoch();
    const q90 = m.recommend([], 0.9).promiseMs;
    expect(q90 / (10 * HOUR * Math.exp(Z90))).toBeGreaterThan(0.95);
    expect(q90 / (10 * HOUR * Math.exp(Z90))).toBeLessThan(1.05);
    expect(m.recommend([], 0.5).promiseMs / (10 * HOUR)).toBeCloseTo(1, 1);
    expect(m.keepProbability([], 10 * HOUR).keepProbability).toBeCloseTo(0.5, 1);
  });

  it('treats open cases as censored: unbiased where dropping them is biased short', () => {
    const r = rng(2);
    const end = 30 * DAY;
    const km = new ForecastModel([], { halfLifeDays: Infinity });
    const naive = new ForecastModel([], { halfLifeDays: Infinity });
    const p = km.pathOf([]);
    const pn = naive.pathOf([]);
    const open: [number, number][] = [];
    for (let i = 0; i < 20_000; i++) {
      const created = r.uniform() * end;
      const d = r.lognormal(5 * DAY, 1);
      if (created + d <= end) {
        km.addClosed(p, created, d);
        naive.addClosed(pn, created, d);
      } else open.push([created, end - created]);
    }
    km.beginEpoch();
    for (const [c, age] of open) km.addOpen(p, c, age);
    naive.beginEpoch();
    const truth = 5 * DAY * Math.exp(Z90);
    const kmQ = km.recommend([], 0.9).promiseMs;
    const naiveQ = naive.recommend([], 0.9).promiseMs;
    expect(Math.abs(kmQ / truth - 1)).toBeLessThan(0.06);
    expect(naiveQ / truth).toBeLessThan(0.85);
  });

  it('is monotone in the target (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (durations, a, b) => {
        const m = new ForecastModel(['category'], { halfLifeDays: 30 });
        durations.forEach((d, i) => m.addClosed(m.pathOf([i % 3 === 0 ? 'x' : 'y']), i * HOUR, d));
        m.beginEpoch();
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(m.recommend(['x'], lo).promiseMs).toBeLessThanOrEqual(m.recommend(['x'], hi).promiseMs);
        // …and the keep-probability of a longer promise is never lower.
        const p1 = m.keepProbability(['y'], durations[0]).keepProbability;
        const p2 = m.keepProbability(['y'], durations[0] * 1.5).keepProbability;
        expect(p2).toBeGreaterThanOrEqual(p1 - 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('shrinks a small segment toward its parent and lets a large one speak for itself', () => {
    const build = (extra: 'small' | 'big') => {
      const r = rng(3);
      const m = new ForecastModel(['category'], { halfLifeDays: Infinity });
      // Twenty categories around a 1-day median with real spread, so κ is finite.
      for (let c = 0; c < 20; c++) {
        const median = DAY * Math.exp(0.3 * r.normal());
        const p = m.pathOf([`c${c}`]);
        for (let i = 0; i < 300; i++) m.addClosed(p, i * HOUR, r.lognormal(median, 0.8));
      }
      const p = m.pathOf([extra]);
      const count = extra === 'small' ? 3 : 3000;
      for (let i = 0; i < count; i++) m.addClosed(p, i * HOUR, r.lognormal(20 * DAY, 0.3));
      m.beginEpoch();
      m.estimatePriorStrengths();
      return m;
    };
    const small = build('small');
    const kappa = small.priorStrengths()[1];
    expect(kappa).toBeGreaterThan(3);
    expect(kappa).toBeLessThan(KAPPA_MAX);
    const smallRec = small.recommend(['small'], 0.5);
    expect(smallRec.basis).toMatchObject({ segment: ['small'], n: 3, effectiveN: 3, priorStrength: Math.round(kappa * 10) / 10 });
    // 3 cases of ~20 days do not override 6000 cases of ~1 day: the answer stays near the parent…
    expect(smallRec.promiseMs).toBeLessThan(5 * DAY);
    expect(smallRec.promiseMs).toBeGreaterThan(small.recommend([undefined], 0.5).promiseMs);
    // …3000 cases do.
    const big = build('big');
    expect(big.recommend(['big'], 0.5).promiseMs / (20 * DAY)).toBeGreaterThan(0.9);
  });

  it('pools completely when segments differ only by noise', () => {
    const r = rng(4);
    const m = new ForecastModel(['category'], { halfLifeDays: Infinity });
    for (let c = 0; c < 20; c++) {
      const p = m.pathOf([`c${c}`]);
      for (let i = 0; i < 200; i++) m.addClosed(p, i * HOUR, r.lognormal(DAY, 0.8));
    }
    m.beginEpoch();
    m.estimatePriorStrengths();
    expect(m.priorStrengths()[1]).toBeGreaterThan(1000);
  });

  it('follows drift: recent cases outweigh old ones by the half-life', () => {
    const m = new ForecastModel([], { halfLifeDays: 14 });
    const p = m.pathOf([]);
    for (let i = 0; i < 1000; i++) m.addClosed(p, i * 5 * 60_000, 10 * DAY); // old: slow
    for (let i = 0; i < 1000; i++) m.addClosed(p, 120 * DAY + i * 5 * 60_000, DAY); // recent: fast
    m.beginEpoch();
    const rec = m.recommend([], 0.5);
    expect(rec.promiseMs).toBeLessThan(1.1 * DAY);
    expect(rec.basis.halfLifeDays).toBe(14);
    expect(rec.basis.effectiveN).toBeLessThan(2000);
    expect(rec.basis.effectiveN).toBeGreaterThan(900);
  });
});

describe('calibration', () => {
  it('adaptive conformal raises the level after misses and lowers it after keeps', () => {
    const a = new AdaptiveLevel(0.9);
    a.update(false);
    expect(a.level).toBeCloseTo(0.9 + 0.005 * 0.9, 10);
    const b = new AdaptiveLevel(0.9);
    b.update(true);
    expect(b.level).toBeCloseTo(0.9 - 0.005 * 0.1, 10);
  });

  it('never gives a higher target a lower level, even when trackers cross', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 400 }), fc.double({ min: 0.3, max: 0.98, noNaN: true }), fc.double({ min: 0.3, max: 0.98, noNaN: true }), (outcomes, a, b) => {
        const c = new Calibrator([0.5, 0.7, 0.9]);
        // Feed the 0.7 tracker only misses and the 0.9 tracker only keeps, so their raw levels cross.
        outcomes.forEach((o) => {
          c.get(0.7)?.update(false);
          c.get(0.9)?.update(true);
          c.get(0.5)?.update(o);
        });
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(c.levelFor(lo)).toBeLessThanOrEqual(c.levelFor(hi) + 1e-12);
      }),
    );
  });

  it('maps a raw probability through the tracked levels', () => {
    const c = new Calibrator([0.5, 0.9]);
    expect(c.calibrate(0.5)).toBeCloseTo(0.5);
    expect(c.calibrate(0.9)).toBeCloseTo(0.9);
    expect(c.calibrate(0.7)).toBeCloseTo(0.7);
  });
});

function synthetic(n: number, seed: number, drift = false) {
  const r = rng(seed);
  const table = new CaseTable(['category']);
  const span = 180 * DAY;
  for (let i = 0; i < n; i++) {
    const created = (i / n) * span;
    const cat = r.uniform() < 0.3 ? 'a' : 'b';
    const base = cat === 'a' ? 6 * HOUR : 2 * DAY;
    const median = drift ? base * (1 + (created / span) * 1.5) : base;
    const d = r.lognormal(median, 0.9);
    table.push({ createdAt: created, doneAt: created + d <= span ? created + d : undefined, orgDueAt: created + 4 * base, values: [cat] });
  }
  return table;
}

describe('evaluate (replay)', () => {
  it('keeps the target rate on lognormal data, at every calibration target', () => {
    const res = evaluate(synthetic(20_000, 5), { target: 0.9 });
    expect(res.rows).toBe(20_000);
    expect(res.keepRate as number).toBeGreaterThan(0.88);
    expect(res.keepRate as number).toBeLessThan(0.92);
    for (const row of res.calibration) {
      expect(Math.abs((row.keepRate as number) - row.target)).toBeLessThan(0.03);
    }
    const byTarget = res.calibration.map((c) => c.medianPromiseHours as number);
    expect([...byTarget].sort((a, b) => a - b)).toEqual(byTarget);
    expect(res.categories.map((c) => c.category).sort()).toEqual(['a', 'b']);
    // The organization's 4×median promise is kept ~94 % with far longer promises.
    expect(res.orgKeepRate as number).toBeGreaterThan(0.9);
    expect(res.orgMedianPromiseHours as number).toBeGreaterThan(res.medianPromiseHours as number);
  });

  it('stays near the target under steep drift (service 2.5× slower in six months) thanks to recency weighting and conformal correction', () => {
    const res = evaluate(synthetic(20_000, 6, true), { target: 0.8 });
    // Measured 0.76: the model lags a drift this steep and the correction only partly catches up.
    expect(Math.abs((res.keepRate as number) - 0.8)).toBeLessThan(0.05);
    const raw = evaluate(synthetic(20_000, 6, true), { target: 0.8, calibrate: false, halfLifeDays: 1e6 });
    // Without either, slower and slower service makes the promises too short.
    expect(raw.keepRate as number).toBeLessThan(res.keepRate as number);
  });

  it('counts open cases past their promise as misses and the others as unknown', () => {
    const t = new CaseTable([]);
    for (let i = 0; i < 200; i++) t.push({ createdAt: i * HOUR, doneAt: i * HOUR + HOUR, values: [] });
    t.push({ createdAt: 200 * HOUR, values: [] }); // open long after its promise: a miss
    t.push({ createdAt: 300 * HOUR, doneAt: 300 * HOUR + 1000, values: [] }); // extends the file
    t.push({ createdAt: 300 * HOUR, values: [] }); // open, promise after the end: unknown
    t.push({ createdAt: 300 * HOUR, cancelled: true, values: [] });
    const res = evaluate(t, { target: 0.9 });
    expect(res.unknown).toBe(1);
    expect(res.cancelled).toBe(1);
    expect(res.unscored).toBe(1);
    expect(res.rows).toBe(203);
    expect(res.decided).toBe(201);
  });

  it('learns from history rows without scoring them', () => {
    const t = synthetic(4000, 7);
    for (let i = 0; i < 2000; i++) t.score[i] = 0;
    const res = evaluate(t, { target: 0.9 });
    expect(res.rows).toBe(2000);
    expect(res.unscored).toBe(0);
  });
});

describe('expectation', () => {
  it('moves from the tenant distribution to the customer’s own history as it accumulates', () => {
    const r = rng(8);
    const m = new ForecastModel(['category'], { halfLifeDays: Infinity });
    for (let c = 0; c < 10; c++) for (let i = 0; i < 200; i++) m.addClosed(m.pathOf(['repair'], `cust${c}`), i * HOUR, r.lognormal(DAY * (1 + c / 10), 0.5));
    m.addClosed(m.pathOf(['repair'], 'new'), 0, 10 * DAY);
    m.beginEpoch();
    m.estimatePriorStrengths();
    const fresh = expectation(m, { values: ['repair'], customer: 'new' });
    expect(fresh.dominatingSource).toBe('tenant_history');
    expect(fresh.n).toBe(2001);
    const regular = expectation(m, { values: ['repair'], customer: 'cust9' });
    expect(regular.dominatingSource).toBe('previous_experience');
    expect(regular.n).toBe(200);
    expect(regular.expectedMs as number).toBeGreaterThan(fresh.expectedMs as number);
    const empty = new ForecastModel(['category']);
    expect(expectation(empty, { values: ['repair'], contractPromiseMs: 4 * HOUR })).toMatchObject({ expectedMs: 4 * HOUR, dominatingSource: 'organizational_promise', n: 0 });
    expect(expectation(empty, { values: ['repair'], otherSources: [{ source: 'competitor_norm', durationMs: HOUR }, { source: 'stated_by_customer', durationMs: 2 * HOUR }] })).toMatchObject({ expectedMs: 2 * HOUR, dominatingSource: 'stated_by_customer' });
  });
});

describe('revive (a model built in a worker thread, passed by structured clone)', () => {
  it('answers exactly as the model that was built', () => {
    const r = rng(7);
    const m = new ForecastModel(['category', 'priority']);
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 3000; i++) {
      const cat = ['a', 'b', 'c'][i % 3];
      // Customer segments keep short sparse bin lists; the big segments go dense: both must survive.
      const path = m.pathOf([cat, i % 2 ? 'high' : 'low'], `cust-${i % 40}`);
      if (i % 10 === 0) m.addOpen(path, t0 + i * HOUR, 5 * HOUR);
      else m.addClosed(path, t0 + i * HOUR, r.lognormal(8 * HOUR, 0.6));
    }
    m.estimatePriorStrengths();
    const cal = new Calibrator([0.8, 0.9]);
    cal.setLevel(0.9, 0.93);
    const copy = reviveModel(structuredClone(m));
    const calCopy = Calibrator.revive(structuredClone(cal));
    expect(copy).toBeInstanceOf(ForecastModel);
    for (const values of [['a', 'high'], ['b', 'low'], ['c'], ['new', 'low']]) {
      expect(copy.recommend(values, 0.9)).toEqual(m.recommend(values, 0.9));
      expect(copy.keepProbability(values, 6 * HOUR)).toEqual(m.keepProbability(values, 6 * HOUR));
    }
    expect(calCopy.levelFor(0.85)).toBe(cal.levelFor(0.85));
    expect(calCopy.calibrate(0.7)).toBe(cal.calibrate(0.7));
    // Sent in slices (split, each slice cloned and revived, joined): the same answers again.
    const { shell, segments } = splitModel(m);
    const slices = [segments.slice(0, 7), segments.slice(7)].map((slice) => structuredClone(slice));
    slices.forEach((slice) => reviveSegments(slice));
    const joined = joinModel(structuredClone(shell), slices.flat());
    for (const values of [['a', 'high'], ['b', 'low'], ['new', 'low']]) expect(joined.recommend(values, 0.9)).toEqual(m.recommend(values, 0.9));
    expect(joined.segmentCount).toBe(m.segmentCount);
    // The revived model keeps learning like the original.
    copy.addClosed(copy.pathOf(['a', 'high']), t0, HOUR);
    m.addClosed(m.pathOf(['a', 'high']), t0, HOUR);
    copy.invalidate();
    m.invalidate();
    expect(copy.recommend(['a', 'high'], 0.9)).toEqual(m.recommend(['a', 'high'], 0.9));
  });
});

describe('ForecastModel memory', () => {
  it('keeps no curve for customer segments (computed afresh, same answers) and counts its size', () => {
    const r = rng(9);
    const m = new ForecastModel(['category'], { halfLifeDays: Infinity });
    for (let c = 0; c < 50; c++) for (let i = 0; i < 20; i++) m.addClosed(m.pathOf(['repair'], `cust${c}`), i * HOUR, r.lognormal(DAY, 0.5));
    m.beginEpoch();
    const before = m.approximateBytes();
    const first = expectation(m, { values: ['repair'], customer: 'cust7' });
    const again = expectation(m, { values: ['repair'], customer: 'cust7' });
    expect(again).toEqual(first);
    // The customer's own segment took part in the answer.
    expect(first.sources.find((s) => s.source === 'previous_experience')).toMatchObject({ n: 20 });
    const { nodes } = m.segmentStore();
    const customerNodes = nodes.filter((n) => n.level > m.levels.length);
    expect(customerNodes).toHaveLength(50);
    expect(customerNodes.every((n) => n.surv === null)).toBe(true);
    // The tenant segments' curves are cached (every answer walks them).
    expect(nodes.filter((n) => n.level <= m.levels.length).every((n) => n.surv !== null)).toBe(true);
    // The estimate counts the cached curves up front, so answering does not change it; more segments, more bytes.
    expect(m.approximateBytes()).toBe(before);
    m.addClosed(m.pathOf(['install'], 'cust1'), 0, DAY);
    expect(m.approximateBytes()).toBeGreaterThan(before);
  });
});
