import { CaseTable, evaluate } from './evaluate';
import { honestLevel, recommendHonestly } from './honest';
import { ForecastModel } from './model';

const DAY = 86_400_000;

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

describe('honest recommendations where cases never close', () => {
  it('says what share never closed and offers the longest promise it can stand behind at a stated lower level', () => {
    const r = rng(1);
    const m = new ForecastModel(['category'], { halfLifeDays: Infinity });
    const stuck = m.pathOf(['pothole']);
    const fine = m.pathOf(['graffiti']);
    const now = 400 * DAY;
    for (let i = 0; i < 2_000; i++) {
      const created = r() * 300 * DAY;
      // Potholes: 34 % never close (still open at "now"); the rest take about 2–6 days.
      if (r() < 0.34) m.addOpen(stuck, created, now - created);
      else m.addClosed(stuck, created, (2 + 4 * r()) * DAY);
      m.addClosed(fine, created, (1 + 3 * r()) * DAY);
    }
    m.invalidate();
    const bad = recommendHonestly(m, stuck, 0.9);
    expect(bad.reason).toMatch(/^3[3-5] % of these requests were never closed; the longest promise that can be stood behind \([5-6] days\) is kept about 5[5-9] % of the time\.$/);
    expect(bad.basis.reason).toBe(bad.reason);
    expect(bad.statedLevel).toBeGreaterThan(0.55);
    expect(bad.statedLevel).toBeLessThan(0.66);
    // The offer is a short, real promise (inside the observed 2–6 days), not a huge number.
    expect(bad.promiseMs).toBeLessThan(6.5 * DAY);
    expect(bad.keepProbability).toBeCloseTo(bad.statedLevel as number, 2);
    // A segment where everything closes keeps the target and has no reason.
    const ok = recommendHonestly(m, fine, 0.9);
    expect(ok.reason).toBeNull();
    expect(ok.promiseMs).toBeGreaterThan(3 * DAY);
    expect(ok.promiseMs).toBeLessThan(4.1 * DAY);
    // Below the plateau the target stands.
    expect(honestLevel(m, stuck[1], 0.5).reason).toBeNull();
  });

  it('kept evaluate counts the honest fallbacks apart from the keep-rate', () => {
    const r = rng(2);
    const table = new CaseTable(['category']);
    for (let i = 0; i < 6_000; i++) {
      const created = Date.UTC(2024, 0, 1) + i * 0.05 * DAY;
      const stuck = i % 2 === 0;
      const never = stuck && r() < 0.4;
      const doneAt = never ? undefined : created + (stuck ? 2 + 4 * r() : 1 + 3 * r()) * DAY;
      table.push({ createdAt: created, doneAt, values: [stuck ? 'pothole' : 'graffiti'], score: i >= 3_000 });
    }
    const res = evaluate(table, { target: 0.9 });
    const h = res.honest.find((x) => x.target === 0.9);
    expect(h?.cases).toBeGreaterThan(1_000); // the pothole half
    expect(h?.meanStatedLevel).toBeLessThan(0.62);
    // Honest fallbacks are kept at about the level they state (the never-closed share is real).
    expect(Math.abs((h?.keepRate as number) - (h?.meanStatedLevel as number))).toBeLessThan(0.08);
    // The keep-rate at the target is over the standable promises only (graffiti), and it is calibrated.
    expect(res.keepRate).not.toBeNull();
    expect(Math.abs((res.keepRate as number) - 0.9)).toBeLessThan(0.03);
    expect(res.frontier).toHaveLength(res.calibration.length);
    expect(res.monthly.length).toBeGreaterThan(0);
    expect(res.pinballLoss).toBeGreaterThan(0);
  });
});
