import { approvalRefusal, decideOffer, suggestNextStep } from './goodwill';
import { actionOverdue, minutesLate, needsRootCause, pareto } from './root-cause';

const at = (h: number) => new Date(Date.UTC(2030, 0, 7, h));

describe('decideOffer', () => {
  it.each([
    // value, limit left, budget left, same currency → state
    [100_00, 200_00, 500_00, true, 'given'],
    [200_00, 200_00, 500_00, true, 'given'], // exactly the limit is within it
    [200_01, 200_00, 500_00, true, 'approval_requested'],
    [150_00, 200_00, 100_00, true, 'approval_requested'], // the budget runs out first
    [150_00, 200_00, null, true, 'given'], // no budget set: only the limit counts
    [10_00, 200_00, 500_00, false, 'approval_requested'],
  ])('%i with %i limit and %p budget left → %s', (valueMinor, limitLeftMinor, budgetLeftMinor, sameCurrency, state) => {
    expect(decideOffer({ valueMinor, limitLeftMinor, budgetLeftMinor, sameCurrency }).state).toBe(state);
  });
  it('names why an approval is needed', () => {
    expect(decideOffer({ valueMinor: 300, limitLeftMinor: 200, budgetLeftMinor: 100, sameCurrency: true })).toEqual({ state: 'approval_requested', because: 'above_limit' });
  });
});

describe('approvalRefusal', () => {
  it('refuses the offerer herself and an approver whose limit is lower than the offer', () => {
    expect(approvalRefusal({ approverId: 'a', offeredBy: 'a', approverLimitMinor: 1e9, valueMinor: 1 })).toBe('self_approval');
    expect(approvalRefusal({ approverId: 'b', offeredBy: 'a', approverLimitMinor: 299_99, valueMinor: 300_00 })).toBe('above_own_limit');
    expect(approvalRefusal({ approverId: 'b', offeredBy: 'a', approverLimitMinor: 300_00, valueMinor: 300_00 })).toBeNull();
  });
});

describe('suggestNextStep', () => {
  const ladderMinor = [100_00, 150_00, 200_00, 500_00];
  it('suggests nothing for a kept case with a calm customer', () => {
    expect(suggestNextStep({ ladderMinor, givenMinor: 0, gapMinutes: 0, stressLevel: 2, limitMinor: 200_00 }).valueMinor).toBeNull();
  });
  it('starts at the first step for a short miss, higher for a long miss and a stressed customer', () => {
    expect(suggestNextStep({ ladderMinor, givenMinor: 0, gapMinutes: 30, stressLevel: 2, limitMinor: 200_00 }).valueMinor).toBe(100_00);
    expect(suggestNextStep({ ladderMinor, givenMinor: 0, gapMinutes: 300, stressLevel: 2, limitMinor: 200_00 }).valueMinor).toBe(150_00);
    // 300 min late (+1) and stress 5 (+1): third step, still within a 200.00 limit.
    expect(suggestNextStep({ ladderMinor, givenMinor: 0, gapMinutes: 300, stressLevel: 5, limitMinor: 200_00 })).toMatchObject({ valueMinor: 200_00, step: 2, needsApproval: false });
  });
  it('climbs one step above what was given and says when that needs an approval', () => {
    expect(suggestNextStep({ ladderMinor, givenMinor: 200_00, gapMinutes: 300, stressLevel: 5, limitMinor: 200_00 })).toMatchObject({ valueMinor: 500_00, needsApproval: true });
    expect(suggestNextStep({ ladderMinor, givenMinor: 500_00, gapMinutes: 300, stressLevel: 5, limitMinor: 200_00 }).valueMinor).toBeNull();
  });
});

describe('root causes', () => {
  it('counts minutes late against the later-missed of promise and need', () => {
    // satisfied 12:00, promised 10:00, required 11:00 → 120 min late (against the promise).
    expect(minutesLate({ satisfiedAt: at(12), promisedAt: at(10), requiredAt: at(11) })).toBe(120);
    expect(minutesLate({ satisfiedAt: at(9), promisedAt: at(10), requiredAt: at(11) })).toBe(0);
    expect(minutesLate({ satisfiedAt: at(12), promisedAt: null, requiredAt: at(11) })).toBe(60);
    expect(needsRootCause({ satisfiedAt: at(10), promisedAt: at(10), requiredAt: null })).toBe(false); // on the minute is kept
    expect(needsRootCause({ satisfiedAt: null, promisedAt: at(10), requiredAt: null })).toBe(false);
  });
  it('marks an action overdue only when due, past and not done', () => {
    expect(actionOverdue({ dueAt: at(10), doneAt: null }, at(11))).toBe(true);
    expect(actionOverdue({ dueAt: at(10), doneAt: at(9) }, at(11))).toBe(false);
    expect(actionOverdue({ dueAt: at(12), doneAt: null }, at(11))).toBe(false);
  });
  it('orders a Pareto by count with the cumulative share', () => {
    const p = pareto([
      { category: 'travel', count: 1, hoursLost: 2 },
      { category: 'parts', count: 3, hoursLost: 10 },
    ]);
    expect(p.map((r) => [r.category, r.cumulativeShare])).toEqual([
      ['parts', 0.75],
      ['travel', 1],
    ]);
  });
  it('ranks by hours lost when asked: a rare costly cause comes before a frequent cheap one', () => {
    const rows = [
      { category: 'scheduling', count: 5, hoursLost: 5 },
      { category: 'parts', count: 1, hoursLost: 15 },
      { category: 'travel', count: 2, hoursLost: 0 },
    ];
    // By count: 5 + 2 + 1 = 8 cases → 5/8, 7/8, 8/8.
    expect(pareto(rows).map((r) => [r.category, r.cumulativeShare])).toEqual([
      ['scheduling', 5 / 8],
      ['travel', 7 / 8],
      ['parts', 1],
    ]);
    // By hours: 15 + 5 + 0 = 20 h → 15/20, 20/20, 20/20.
    expect(pareto(rows, 'hoursLost').map((r) => [r.category, r.cumulativeShare])).toEqual([
      ['parts', 0.75],
      ['scheduling', 1],
      ['travel', 1],
    ]);
  });
  it('gives a share of 0 when nothing was lost', () => {
    expect(pareto([{ category: 'other', count: 1, hoursLost: 0 }], 'hoursLost')).toEqual([{ category: 'other', count: 1, hoursLost: 0, cumulativeShare: 0 }]);
  });
});

describe('worstMiss', () => {
  it('names the target missed by more, measured to now while open', async () => {
    const { worstMiss } = await import('./root-cause');
    expect(worstMiss({ satisfiedAt: null, promisedAt: at(10), requiredAt: at(9) }, at(12))).toEqual({ target: 'required', minutes: 180 });
    expect(worstMiss({ satisfiedAt: at(11), promisedAt: at(10), requiredAt: at(12) }, at(20))).toEqual({ target: 'promised', minutes: 60 });
    expect(worstMiss({ satisfiedAt: null, promisedAt: at(13), requiredAt: null }, at(12))).toBeNull();
  });
});
