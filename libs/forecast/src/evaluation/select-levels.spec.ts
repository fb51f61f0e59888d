import fc from 'fast-check';
import { CaseTable } from './case-table';
import { pairedGain, selectLevels } from './select-levels';

const HOUR = 3_600_000;

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

interface Row {
  values: Record<string, string>;
  hours: number;
}

/** Cases every 20 minutes, all closed; the durations are exponential with the mean `meanOf` gives. */
function table(levels: string[], n: number, seed: number, make: (r: () => number, i: number) => Row, scoreFrom = Infinity): CaseTable {
  const r = rng(seed);
  const t = new CaseTable(levels);
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const row = make(r, i);
    const created = t0 + i * 20 * 60_000;
    t.push({ createdAt: created, doneAt: created + row.hours * HOUR, values: levels.map((l) => row.values[l]), score: i >= scoreFrom });
  }
  return t;
}

const exp = (r: () => number, mean: number) => -Math.log(1 - r()) * mean;

describe('selectLevels (forward selection by the pinball loss on the history replay)', () => {
  it('chooses a planted informative column over a noisy one, and leaves the noise out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 4, max: 10, noNaN: true }), (seed, ratio) => {
        // "kind" decides the duration (fast or `ratio` times slower); "desk" has 25 values and decides nothing.
        const t = table(['desk', 'kind'], 3000, seed, (r) => {
          const slow = r() < 0.4;
          return { values: { desk: `d${Math.floor(r() * 25)}`, kind: slow ? 'slow' : 'fast' }, hours: exp(r, slow ? 5 * ratio : 5) };
        });
        const s = selectLevels(t, { target: 0.9 });
        expect(s.method).toBe('selected');
        expect(s.levels).toEqual(['kind']);
        const loss = (ls: string[]) => s.trials.find((x) => x.levels.join() === ls.join())?.pinballLoss as number;
        // The comparison is meaningful: the informative column lowers the loss, the noisy one does not help.
        expect(loss(['kind'])).toBeLessThan(0.9 * loss([]));
        expect(loss(['desk'])).toBeGreaterThan(0.97 * loss([]));
        expect(s.steps[0]).toMatchObject({ added: 'kind', accepted: true });
      }),
      { numRuns: 4, seed: 16 },
    );
  });

  it('finds an interaction only a composite column carries (the route), where neither part alone informs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), (seed) => {
        // Slow exactly when the seller's state differs from the customer's: each state alone is uninformative.
        const t = table(['from', 'to', 'route'], 3000, seed, (r) => {
          const from = r() < 0.5 ? 'SP' : 'RJ';
          const to = r() < 0.5 ? 'SP' : 'RJ';
          return { values: { from, to, route: `${from} → ${to}` }, hours: exp(r, from === to ? 10 : 60) };
        });
        const s = selectLevels(t, { target: 0.9 });
        expect(s.levels[0]).toBe('route');
        const first = s.trials.filter((x) => x.levels.length === 1);
        const best = first.reduce((a, b) => ((a.pinballLoss as number) < (b.pinballLoss as number) ? a : b));
        expect(best.levels).toEqual(['route']);
      }),
      { numRuns: 3, seed: 7 },
    );
  });

  it('chooses on the history part only: what the scored rows show cannot change the choice', () => {
    // History: "kind" informs. Scored part: "desk" informs and "kind" does not. The choice follows the history,
    // and stays the same when the scored rows' durations are anything else.
    const make = (scoredHours: (r: () => number, desk: string) => number) =>
      table(['desk', 'kind'], 4000, 3, (r, i) => {
        const kind = r() < 0.4 ? 'slow' : 'fast';
        const desk = r() < 0.5 ? 'A' : 'B';
        return { values: { desk, kind }, hours: i < 2500 ? exp(r, kind === 'slow' ? 40 : 5) : scoredHours(r, desk) };
      }, 2500);
    const a = selectLevels(make((r, desk) => exp(r, desk === 'A' ? 40 : 5)));
    const b = selectLevels(make(() => 1));
    expect(a.levels).toEqual(['kind']);
    expect(b).toEqual(a);
    expect(a.historyRows).toBe(2500);
  });

  it('falls back when the history is too short to choose', () => {
    const t = table(['kind'], 100, 1, (r) => ({ values: { kind: r() < 0.5 ? 'a' : 'b' }, hours: 1 }));
    expect(selectLevels(t, { fallback: ['kind'] })).toMatchObject({ method: 'fallback', levels: ['kind'] });
  });

  it('refuses an unknown level with a clear error', () => {
    const t = table(['category', 'seller'], 10, 1, () => ({ values: { category: 'x', seller: 's' }, hours: 1 }));
    expect(() => selectLevels(t, { candidates: ['category', 'sellr'] })).toThrow('unknown segment level "sellr": the cases have "category", "seller"');
    expect(() => selectLevels(t, { fallback: ['route'] })).toThrow(/unknown segment level "route"/);
    expect(() => t.withLevels(['queue'])).toThrow(/unknown segment level "queue"/);
    expect(() => new CaseTable(['seller', 'seller'])).toThrow(/named twice/);
  });

  it('withLevels shows the same cases through other levels, in the order asked', () => {
    const t = table(['a', 'b'], 3, 1, (r, i) => ({ values: { a: `a${i}`, b: `b${i % 2}` }, hours: i + 1 }));
    const v = t.withLevels(['b', 'a']);
    expect(v.levels).toEqual(['b', 'a']);
    expect(v.n).toBe(3);
    expect([0, 1, 2].map((i) => [v.dicts[0][v.codes[0][i]], v.dicts[1][v.codes[1][i]]])).toEqual([['b0', 'a0'], ['b1', 'a1'], ['b0', 'a2']]);
    expect(v.created).toBe(t.created);
  });

  it('pairedGain: mean of the differences, standard error from block means', () => {
    const before = Float64Array.from([3, 3, 3, 3, NaN, 3]);
    const after = Float64Array.from([1, 2, 1, 2, 1, NaN]);
    const g = pairedGain(before, after, 2);
    expect(g.mean).toBeCloseTo(1.5); // differences 2, 1, 2, 1 (the NaN pairs left out)
    expect(g.se).toBeCloseTo(0); // blocks [2, 1] and [2, 1] have equal means
    expect(pairedGain(Float64Array.from([1]), Float64Array.from([0]), 20).se).toBe(Infinity);
  });
});
