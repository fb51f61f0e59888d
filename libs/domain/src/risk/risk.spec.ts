import { planAlerts } from '../alerts/plan';
import { businessTimeBetween } from '../time/business-time';
import { alwaysOpenCalendar } from '../time/calendar';
import { berlinNineToFive } from '../time/testing/calendar.factory';
import type { Pause } from '../time/types';
import { assessRisk, atRiskMinute, atRiskSince, remainingWork, type AtRiskSinceInput, type CaseRiskInput } from './risk';

const plan = { arrivalMinutes: 120, diagnosisMinutes: 30, fixMinutes: 60, testMinutes: 30 };

describe('remainingWork', () => {
  it.each([
    // History known for every step: the sum of the steps left.
    { name: 'nothing reached, history', reached: [], expected: { arrival: 50, diagnosis: 20, fix: 40, test: 10 }, planned: null, status: 'open', result: { stage: 'opened', minutes: 120 } },
    { name: 'arrived, history', reached: ['arrived'], expected: { arrival: 50, diagnosis: 20, fix: 40, test: 10 }, planned: null, status: 'open', result: { stage: 'arrived', minutes: 70 } },
    // The last milestone reached decides, even when an earlier one is missing.
    { name: 'diagnosed without arrived', reached: ['diagnosed'], expected: { fix: 40, test: 10 }, planned: null, status: 'open', result: { stage: 'diagnosed', minutes: 50 } },
    // From the plan, the step under way adds 0 (late only once its planned end passed), later steps add theirs.
    { name: 'plan only, nothing reached', reached: [], expected: {}, planned: plan, status: 'open', result: { stage: 'opened', minutes: 120 } },
    { name: 'plan only, arrived', reached: ['arrived'], expected: {}, planned: plan, status: 'open', result: { stage: 'arrived', minutes: 90 } },
    { name: 'plan only, fixed milestone', reached: ['arrived', 'diagnosed', 'fixed'], expected: {}, planned: plan, status: 'open', result: null },
    // Mixed: history for the current step (counted), plan for the rest.
    { name: 'history for the step under way, plan after', reached: ['arrived'], expected: { diagnosis: 25 }, planned: plan, status: 'open', result: { stage: 'arrived', minutes: 115 } },
    { name: 'no basis for a step left', reached: ['arrived'], expected: { diagnosis: 25 }, planned: null, status: 'open', result: null },
    { name: 'all done', reached: ['arrived', 'diagnosed', 'fixed', 'test_passed'], expected: { test: 10 }, planned: plan, status: 'open', result: null },
    { name: 'a fixed case waits only for the customer', reached: ['arrived'], expected: { diagnosis: 25, fix: 1, test: 1 }, planned: plan, status: 'fixed', result: null },
    { name: 'zero expected minutes', reached: ['arrived', 'diagnosed', 'fixed'], expected: { test: 0 }, planned: null, status: 'open', result: null },
  ])('$name', ({ reached, expected, planned, status, result }) => {
    expect(remainingWork(reached, expected, planned, status)).toEqual(result);
  });
});

describe('atRiskMinute', () => {
  it.each([
    [480, 120, 360],
    [480, 480, 0],
    [60, 90, 0],
    [90.5, 0.5, 90],
  ])('window %p, remaining %p → minute %p', (window, minutes, expected) => {
    expect(atRiskMinute(window, { stage: 'opened', minutes })).toBe(expected);
  });
});

describe('assessRisk', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const base: CaseRiskInput = {
    status: 'open',
    promisedAt: later(240),
    requiredAt: later(480),
    from: now,
    businessMinutesToPromise: 240,
    businessMinutesToNeed: 480,
    remaining: { stage: 'arrived', minutes: 90 },
  };

  it.each<{ name: string; input: Partial<CaseRiskInput>; reasons: string[] }>([
    { name: 'plenty of time', input: {}, reasons: [] },
    { name: 'promise passed', input: { promisedAt: later(-5), businessMinutesToPromise: -5 }, reasons: ['promise_overdue'] },
    { name: 'need passed (and so after the promise)', input: { requiredAt: later(-5), businessMinutesToNeed: -5 }, reasons: ['need_overdue', 'promise_after_need'] },
    { name: 'promise after need', input: { requiredAt: later(200), businessMinutesToNeed: 200 }, reasons: ['promise_after_need'] },
    // The remaining work no longer fits: the moment the at-risk alert falls due (time left = work).
    { name: 'work exactly fills the time to the promise', input: { businessMinutesToPromise: 90, promisedAt: later(90) }, reasons: ['promise_at_risk'] },
    { name: 'work fits with a minute to spare', input: { businessMinutesToPromise: 91, promisedAt: later(91) }, reasons: [] },
    { name: 'work does not fit before the need', input: { remaining: { stage: 'opened', minutes: 500 } }, reasons: ['promise_at_risk', 'need_at_risk'] },
    { name: 'a fixed case waits only for the customer', input: { status: 'fixed', remaining: { stage: 'fixed', minutes: 500 } }, reasons: [] },
    { name: 'a fixed case past its promise is still overdue', input: { status: 'fixed', promisedAt: later(-5), businessMinutesToPromise: -5 }, reasons: ['promise_overdue'] },
    { name: 'unknown remaining work: only timing reasons', input: { remaining: null, businessMinutesToPromise: 1, promisedAt: later(1) }, reasons: [] },
    { name: 'no promise', input: { promisedAt: null, businessMinutesToPromise: null }, reasons: ['no_promise'] },
    // Outside business hours a time may be past in business minutes but still ahead on the wall clock.
    { name: 'no business time left but the promise is still ahead', input: { businessMinutesToPromise: 0, promisedAt: later(30), remaining: null }, reasons: [] },
    { name: 'closed cases are never at risk', input: { status: 'satisfied', promisedAt: null, businessMinutesToPromise: null }, reasons: [] },
  ])('$name', ({ input, reasons }) => {
    const result = assessRisk({ ...base, ...input });
    expect(result.reasons).toEqual(reasons);
    expect(result.atRisk).toBe(reasons.length > 0);
  });

  it('a paused case is measured from the start of its pause', () => {
    // Paused 3 h ago with 100 minutes left then: the promise is wall-clock past, but not overdue.
    const from = later(-180);
    const result = assessRisk({ ...base, from, promisedAt: later(-80), businessMinutesToPromise: 100, remaining: { stage: 'arrived', minutes: 60 } });
    expect(result.reasons).toEqual([]);
  });
});

describe('the board and the at-risk alert share one rule', () => {
  // Mon–Fri 09:00–17:00 Berlin; window Mon 2026-12-07 09:00 → Wed 12:00 (local), 3 h of work left.
  const calendar = berlinNineToFive();
  const start = new Date('2026-12-07T08:00:00Z');
  const end = new Date('2026-12-09T11:00:00Z');
  const remaining = { stage: 'arrived', minutes: 180 };

  it('assessRisk flags promise_at_risk exactly from the at-risk alert’s minute of the window', () => {
    const [alert] = planAlerts({
      policies: [{ id: 'p', target: 'promised', basis: 'business', fractions: [], leadMinutes: [], atBreach: false, repeatEveryMinutes: null, escalateAfterMinutes: null, atRisk: true, active: true }],
      windows: { promised: { start, end, version: 1 }, required: null },
      businessCalendar: calendar,
      wallCalendar: alwaysOpenCalendar('Europe/Berlin'),
      pauses: [],
      remaining,
      now: start,
    });
    expect(alert.kind).toBe('at_risk');
    expect(alert.atMinute).toBe(atRiskMinute(alert.windowMinutes, remaining));
    let flagged = 0;
    for (let t = start.getTime(); t < end.getTime(); t += 10 * 60_000) {
      const from = new Date(t);
      const { reasons } = assessRisk({
        status: 'open',
        promisedAt: end,
        requiredAt: null,
        from,
        businessMinutesToPromise: businessTimeBetween(from, end, calendar),
        businessMinutesToNeed: null,
        remaining,
      });
      const elapsed = businessTimeBetween(start, from, calendar);
      expect(reasons.includes('promise_at_risk')).toBe(elapsed >= alert.atMinute);
      if (reasons.includes('promise_at_risk')) flagged++;
    }
    // The check above is meaningful: both sides of the line were seen.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan((end.getTime() - start.getTime()) / 600_000);
  });
});

describe('atRiskSince: the instant assessRisk starts to flag a case, stored on the case for the board', () => {
  const calendar = berlinNineToFive();
  const openedAt = new Date('2026-12-07T08:00:00Z');
  const promisedAt = new Date('2026-12-09T11:00:00Z');
  const requiredAt = new Date('2026-12-10T15:00:00Z');
  const remaining = { stage: 'arrived', minutes: 180 };
  const noPauses: Pause[] = [];
  const base: AtRiskSinceInput = { status: 'open', openedAt, promisedAt, promiseMadeAt: openedAt, requiredAt, remaining, calendar, pauses: noPauses };
  const atRiskAt = (from: Date, input = base) =>
    assessRisk({
      status: input.status,
      promisedAt: input.promisedAt,
      requiredAt: input.requiredAt,
      from,
      businessMinutesToPromise: input.promisedAt ? businessTimeBetween(from, input.promisedAt, calendar, input.pauses) : null,
      businessMinutesToNeed: input.requiredAt ? businessTimeBetween(from, input.requiredAt, calendar, input.pauses) : null,
      remaining: input.remaining,
    }).reasons.some((r) => r !== 'promise_overdue' && r !== 'need_overdue');

  it.each([
    { name: 'remaining work before the promise', input: base },
    { name: 'a closed pause moves it later', input: { ...base, pauses: [{ from: new Date('2026-12-08T09:00:00Z'), to: new Date('2026-12-08T13:00:00Z') }] } },
    { name: 'the need comes first', input: { ...base, requiredAt: new Date('2026-12-09T10:00:00Z') } },
  ])('$name: flagged exactly from that instant on (10-minute sweep)', ({ input }: { input: AtRiskSinceInput }) => {
    const since = atRiskSince(input)!;
    expect(since).toBeInstanceOf(Date);
    // Business time left at that instant is the remaining work (9:00–17:00 Berlin, 180 minutes before 12:00 on the 9th = 9:00 local).
    for (let t = openedAt.getTime(); t < promisedAt.getTime(); t += 10 * 60_000) {
      expect(atRiskAt(new Date(t), input)).toBe(t >= since.getTime());
    }
  });

  it.each([
    { name: 'no promise: from the opening', input: { ...base, promisedAt: null }, expected: openedAt },
    { name: 'promise after the need: from the opening', input: { ...base, requiredAt: new Date('2026-12-08T11:00:00Z') }, expected: openedAt },
    { name: 'a fixed case: never', input: { ...base, status: 'fixed' }, expected: null },
    { name: 'unknown remaining work: never', input: { ...base, remaining: null }, expected: null },
    { name: 'closed: never', input: { ...base, status: 'satisfied' }, expected: null },
  ])('$name', ({ input, expected }: { input: AtRiskSinceInput; expected: Date | null }) => {
    expect(atRiskSince(input)).toEqual(expected);
  });
});
