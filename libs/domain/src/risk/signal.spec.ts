import { assessRisk } from './risk';
import { BOARD_RANK_CLASSES, boardRank, chanceToKeep, LIKELY_KEPT, type BoardRiskClass } from './signal';

const NOW = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('boardRank', () => {
  it.each([
    // Past both its promise and its need: first, whatever else is true.
    { name: 'past promise and need', status: 'open', promised: -60, required: -30, atRisk: true, rank: 0 },
    { name: 'fixed, past promise and need', status: 'fixed', promised: -60, required: -30, atRisk: true, rank: 0 },
    // Past one of them: second.
    { name: 'past the promise only', status: 'open', promised: -600, required: 60, atRisk: true, rank: 1 },
    { name: 'past the need only', status: 'open', promised: 60, required: -1, atRisk: true, rank: 1 },
    { name: 'past the promise, no need', status: 'open', promised: -60, required: null, atRisk: true, rank: 1 },
    // A deadline exactly now has passed (assessRisk's overdue is `at <= from` too).
    { name: 'promise exactly now', status: 'open', promised: 0, required: null, atRisk: true, rank: 1 },
    { name: 'at risk', status: 'open', promised: 30, required: 90, atRisk: true, rank: 2 },
    { name: 'no promise yet', status: 'open', promised: null, required: 90, atRisk: true, rank: 2 },
    { name: 'on track', status: 'open', promised: 300, required: 600, atRisk: false, rank: 3 },
    { name: 'paused, on track', status: 'paused', promised: 300, required: 600, atRisk: false, rank: 3 },
    { name: 'fixed, waiting for the customer', status: 'fixed', promised: 300, required: 600, atRisk: false, rank: 4 },
  ])('$name → $rank', ({ status, promised, required, atRisk, rank }) => {
    const input = { status, from: NOW, atRisk, promisedAt: promised === null ? null : at(promised), requiredAt: required === null ? null : at(required) };
    expect(boardRank(input)).toBe(rank);
  });

  it('ranks the case past both deadlines before one overdue far longer on one of them', () => {
    // The board: the only case past both its promise and its need came fifth, behind cases
    // whose promise had passed longer ago. The rank comes before the deadline in the board's order.
    const both = boardRank({ status: 'open', from: NOW, atRisk: true, promisedAt: at(-20), requiredAt: at(-10) });
    const longOverdue = boardRank({ status: 'open', from: NOW, atRisk: true, promisedAt: at(-3000), requiredAt: at(600) });
    expect(both).toBeLessThan(longOverdue);
    expect([BOARD_RANK_CLASSES[both], BOARD_RANK_CLASSES[longOverdue]]).toEqual(['missed', 'missed']);
  });

  it('agrees with assessRisk: ranks 0–1 are exactly its overdue verdicts, 2 its other at-risk ones', () => {
    const cases = [
      { promised: -60, required: -30 },
      { promised: -60, required: 120 },
      { promised: 60, required: -5 },
      { promised: 240, required: 120 },
      { promised: null, required: 120 },
      { promised: 240, required: null },
    ];
    for (const c of cases) {
      const promisedAt = c.promised === null ? null : at(c.promised);
      const requiredAt = c.required === null ? null : at(c.required);
      const verdict = assessRisk({
        status: 'open',
        promisedAt,
        requiredAt,
        from: NOW,
        businessMinutesToPromise: c.promised,
        businessMinutesToNeed: c.required,
        remaining: null,
      });
      const rank = boardRank({ status: 'open', promisedAt, requiredAt, from: NOW, atRisk: verdict.atRisk });
      const overdue = verdict.reasons.some((r) => r.endsWith('_overdue'));
      expect({ c, missed: rank <= 1 }).toEqual({ c, missed: overdue });
      expect({ c, atRisk: rank <= 2 }).toEqual({ c, atRisk: verdict.atRisk });
    }
  });
});

describe('chanceToKeep', () => {
  it.each<[BoardRiskClass, number | null, number | null, boolean]>([
    // Missed: a deadline has passed, nothing left to keep — whatever the forecast says.
    ['missed', 0.9, 0, false],
    ['missed', null, 0, false],
    // The forecast agrees with the class: shown.
    ['on_track', 0.93, 0.93, false],
    ['on_track', LIKELY_KEPT, LIKELY_KEPT, false],
    ['at_risk', 0.43, 0.43, false],
    ['at_risk', 0, 0, false],
    // It contradicts the class (the "✓ On track" beside 43 %, "At risk" beside 100 %): not shown, flagged.
    ['on_track', 0.43, null, true],
    ['at_risk', 1, null, true],
    ['at_risk', LIKELY_KEPT, null, true],
    // Nothing to show.
    ['on_track', null, null, false],
    ['fixed', 0.99, null, false],
    ['on_track', Number.NaN, null, false],
  ])('%s with a forecast of %p shows %p (disagrees: %p)', (riskClass, forecast, chance, disagrees) => {
    expect(chanceToKeep(riskClass, forecast)).toEqual({ chance, disagrees });
  });

  it('never shows on track below even odds nor at risk at or above them', () => {
    for (let i = 0; i <= 100; i++) {
      const p = i / 100;
      const onTrack = chanceToKeep('on_track', p).chance;
      const atRisk = chanceToKeep('at_risk', p).chance;
      if (onTrack !== null) expect(onTrack).toBeGreaterThanOrEqual(LIKELY_KEPT);
      if (atRisk !== null) expect(atRisk).toBeLessThan(LIKELY_KEPT);
    }
  });
});
