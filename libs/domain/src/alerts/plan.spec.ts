import { alwaysOpenCalendar } from '../time/calendar';
import { berlinNineToFive, berlinSplitShift, calendarOf } from '../time/testing/calendar.factory';
import type { BusinessCalendar, Pause } from '../time/types';
import { AlertPlanInput, AlertPolicyRules, planAlerts, PlannedAlert } from './plan';

const at = (iso: string) => new Date(iso);

const promisePolicy = (overrides: Partial<AlertPolicyRules> = {}): AlertPolicyRules => ({
  id: 'p-promise',
  target: 'promised',
  basis: 'business',
  fractions: [0.5, 0.75, 0.9],
  leadMinutes: [30],
  atBreach: true,
  repeatEveryMinutes: 30,
  escalateAfterMinutes: 60,
  atRisk: true,
  active: true,
  ...overrides,
});

function input(overrides: Partial<AlertPlanInput> & { calendar?: BusinessCalendar } = {}): AlertPlanInput {
  const { calendar = berlinNineToFive(), ...rest } = overrides;
  return {
    policies: [promisePolicy()],
    // Monday 2026-11-23 09:00 Berlin (08:00Z) → promised Tuesday 17:00 Berlin: 16 business hours.
    windows: { promised: { start: at('2026-11-23T08:00:00Z'), end: at('2026-11-24T16:00:00Z'), version: 1 }, required: null },
    businessCalendar: calendar,
    wallCalendar: alwaysOpenCalendar('Europe/Berlin'),
    pauses: [],
    remaining: null,
    now: at('2026-11-23T08:00:00Z'),
    ...rest,
  };
}

const byKey = (alerts: PlannedAlert[]) => Object.fromEntries(alerts.map((a) => [a.ruleKey, a.dueAt?.toISOString() ?? null]));

describe('planAlerts', () => {
  it('places fractions, lead, breach, first repeat and escalation on the business clock', () => {
    expect(byKey(planAlerts(input()))).toEqual({
      // 16 business hours: 50 % = 8 h → Monday 17:00 Berlin; 75 % = 12 h → Tuesday 13:00; 90 % = 14.4 h → Tuesday 15:24.
      'fraction:0.5': '2026-11-23T16:00:00.000Z',
      'fraction:0.75': '2026-11-24T12:00:00.000Z',
      'fraction:0.9': '2026-11-24T14:24:00.000Z',
      'lead:30': '2026-11-24T15:30:00.000Z',
      breach: '2026-11-24T16:00:00.000Z',
      // After the deadline the business clock is closed until Wednesday 09:00: repeat and escalation wait for it.
      repeat: '2026-11-25T08:30:00.000Z',
      escalation: '2026-11-25T09:00:00.000Z',
    });
  });

  it('measures wall-time policies around the clock in the site zone', () => {
    const plan = planAlerts(input({ policies: [promisePolicy({ basis: 'wall', fractions: [0.5], leadMinutes: [] })] }));
    // 32 wall hours: half is 16 h after 09:00 Monday → Tuesday 01:00 Berlin.
    expect(byKey(plan)['fraction:0.5']).toBe('2026-11-24T00:00:00.000Z');
    expect(byKey(plan).repeat).toBe('2026-11-24T16:30:00.000Z');
  });

  it('skips the lunch break of a split shift', () => {
    const plan = planAlerts(
      input({
        calendar: berlinSplitShift(),
        // 08:00 → 17:00 Berlin on Monday is 8 business hours (lunch 12–13 excluded).
        windows: { promised: { start: at('2026-11-23T07:00:00Z'), end: at('2026-11-23T16:00:00Z'), version: 1 }, required: null },
        policies: [promisePolicy({ fractions: [0.5], leadMinutes: [] })],
        now: at('2026-11-23T07:00:00Z'),
      }),
    );
    // 4 business hours after 08:00 is 12:00, the close of the morning shift.
    expect(byKey(plan)['fraction:0.5']).toBe('2026-11-23T11:00:00.000Z');
  });

  it('skips holidays', () => {
    const plan = planAlerts(
      input({
        // Thursday 24 Dec 09:00 → Monday 28 Dec 17:00 Berlin: 25 and 26 Dec are holidays, 27 a Sunday.
        windows: { promised: { start: at('2026-12-24T08:00:00Z'), end: at('2026-12-28T16:00:00Z'), version: 1 }, required: null },
        policies: [promisePolicy({ fractions: [0.5], leadMinutes: [] })],
        now: at('2026-12-24T08:00:00Z'),
      }),
    );
    // 16 business hours; half = end of Thursday 24 Dec.
    expect(byKey(plan)['fraction:0.5']).toBe('2026-12-24T16:00:00.000Z');
  });

  it('keeps local hours across the change from summer to winter time', () => {
    // Friday 23 Oct 2026 09:00 CEST (07:00Z) → Tuesday 27 Oct 17:00 CET (16:00Z): DST ends Sunday 25 Oct.
    const plan = planAlerts(
      input({
        windows: { promised: { start: at('2026-10-23T07:00:00Z'), end: at('2026-10-27T16:00:00Z'), version: 1 }, required: null },
        policies: [promisePolicy({ fractions: [0.5], leadMinutes: [60] })],
        now: at('2026-10-23T07:00:00Z'),
      }),
    );
    // 24 business hours; half = 12 h → Monday 26 Oct 13:00 CET = 12:00Z.
    expect(byKey(plan)['fraction:0.5']).toBe('2026-10-26T12:00:00.000Z');
    expect(byKey(plan)['lead:60']).toBe('2026-10-27T15:00:00.000Z');
  });

  it('moves every alert after a closed pause by the business time it stopped the clock', () => {
    // Paused Monday 10:00–12:00 Berlin: two business hours.
    const pauses: Pause[] = [{ from: at('2026-11-23T09:00:00Z'), to: at('2026-11-23T11:00:00Z') }];
    const plan = byKey(planAlerts(input({ pauses })));
    expect(plan['fraction:0.5']).toBe('2026-11-24T10:00:00.000Z'); // Monday 17:00 + 2 h → Tuesday 11:00 Berlin.
    expect(plan.breach).toBe('2026-11-25T10:00:00.000Z'); // Tuesday 17:00 + 2 h → Wednesday 11:00 Berlin.
  });

  it('holds every alert after an open pause, and keeps those before it', () => {
    const pauses: Pause[] = [{ from: at('2026-11-24T09:00:00Z'), to: null }];
    const plan = byKey(planAlerts(input({ pauses })));
    expect(plan['fraction:0.5']).toBe('2026-11-23T16:00:00.000Z');
    expect(plan['fraction:0.75']).toBeNull();
    expect(plan.breach).toBeNull();
  });

  it('names the version: a re-promise yields a new set keyed by the new version', () => {
    const plan = planAlerts(
      input({ windows: { promised: { start: at('2026-11-23T12:00:00Z'), end: at('2026-11-25T16:00:00Z'), version: 2 }, required: null } }),
    );
    expect(new Set(plan.map((a) => a.targetVersion))).toEqual(new Set([2]));
  });

  it('watches the need with its own policy and version', () => {
    const need: AlertPolicyRules = { ...promisePolicy({ id: 'p-need', target: 'required', basis: 'wall' }) };
    const plan = planAlerts(
      input({
        policies: [promisePolicy(), need],
        windows: {
          promised: null,
          required: { start: at('2026-11-23T08:00:00Z'), end: at('2026-11-23T12:00:00Z'), version: 3 },
        },
      }),
    );
    expect(plan.every((a) => a.policyId === 'p-need' && a.target === 'required' && a.targetVersion === 3)).toBe(true);
    expect(byKey(plan).breach).toBe('2026-11-23T12:00:00.000Z');
  });

  it('fires nothing for an inactive policy or a closed case (no windows)', () => {
    expect(planAlerts(input({ policies: [promisePolicy({ active: false })] }))).toEqual([]);
    expect(planAlerts(input({ windows: { promised: null, required: null } }))).toEqual([]);
  });

  it('plans the next repeat after the last one fired, and none after an acknowledgement', () => {
    // The breach fired Tuesday 17:00 Berlin, the repeat twice (Wednesday 09:30 and 10:00): the next is 10:30 Berlin.
    const fired = { repeatsFired: 2, acknowledged: false, breachFiredAt: at('2026-11-24T16:00:00Z'), lastRepeatAt: at('2026-11-25T09:00:05Z') };
    const plan = planAlerts(input({ progress: new Map([['p-promise:1', fired]]), now: at('2026-11-25T09:00:05Z') }));
    expect(byKey(plan).repeat).toBe('2026-11-25T09:30:00.000Z');
    const acknowledged = new Map([['p-promise:1', { ...fired, acknowledged: true }]]);
    const keys = planAlerts(input({ progress: acknowledged })).map((a) => a.ruleKey);
    expect(keys).not.toContain('repeat');
    expect(keys).not.toContain('escalation');
  });

  describe('repeats that fell due while nothing ran collapse into one', () => {
    // A wall-clock policy: the deadline is Tuesday 17:00 Berlin (16:00Z), a repeat every 30 min after it.
    const wall = promisePolicy({ basis: 'wall', repeatEveryMinutes: 30 });
    const deadline = at('2026-11-24T16:00:00Z');
    const plan = (now: Date, progress?: AlertPlanInput['progress']) =>
      planAlerts(input({ policies: [wall], now, progress })).filter((a) => a.kind === 'repeat');

    it('plans a case created 3 days late with its breach now and at most one repeat per rule, after now', () => {
      // Created (planned for the first time) on Friday 16:10Z, 3 days and 10 minutes after the deadline:
      // 144 repeat slots lie behind it. None of them is raised; the first repeat is the next slot, 16:30Z.
      const now = at('2026-11-27T16:10:00Z');
      const repeats = plan(now);
      expect(repeats).toHaveLength(1);
      expect(repeats[0]).toMatchObject({ ruleKey: 'repeat', dueAt: at('2026-11-27T16:30:00Z') });
      // Every rule appears once: one breach, one repeat, one escalation — no burst.
      const all = planAlerts(input({ policies: [wall], now }));
      const kinds = all.map((a) => a.ruleKey);
      expect(new Set(kinds).size).toBe(kinds.length);
      expect(kinds.filter((k) => k.startsWith('repeat'))).toEqual(['repeat']);
    });

    it('fires only the latest repeat that fell due while no worker ran, then the next slot after now', () => {
      // The breach fired on time (16:00Z); the worker then stopped until 19:10Z: six slots (16:30 … 19:00) passed.
      const progress = new Map([['p-promise:1', { repeatsFired: 0, acknowledged: false, breachFiredAt: deadline }]]);
      const [late] = plan(at('2026-11-24T19:10:00Z'), progress);
      // One repeat, due at the latest slot not after now (19:00Z): it fires once, at once.
      expect(late.dueAt).toEqual(at('2026-11-24T19:00:00Z'));
      // When it has fired (at 19:10:01Z), the next one is the first slot after that: 19:30Z, not 17:00Z.
      const afterFire = new Map([['p-promise:1', { repeatsFired: 1, acknowledged: false, breachFiredAt: deadline, lastRepeatAt: at('2026-11-24T19:10:01Z') }]]);
      expect(plan(at('2026-11-24T19:10:01Z'), afterFire)[0].dueAt).toEqual(at('2026-11-24T19:30:00Z'));
    });

    it('keeps the regular rhythm when the worker keeps up', () => {
      const progress = new Map([['p-promise:1', { repeatsFired: 1, acknowledged: false, breachFiredAt: deadline, lastRepeatAt: at('2026-11-24T16:30:01Z') }]]);
      expect(plan(at('2026-11-24T16:30:01Z'), progress)[0].dueAt).toEqual(at('2026-11-24T17:00:00Z'));
    });

    it('holds the repeat while an open pause stops the clock', () => {
      const paused = planAlerts(input({ policies: [wall], now: at('2026-11-24T18:00:00Z'), pauses: [{ from: at('2026-11-24T17:00:00Z'), to: null }] }));
      expect(paused.find((a) => a.kind === 'repeat')?.dueAt).toBeNull();
    });
  });

  it('warns at risk when the remaining steps no longer fit in the time left', () => {
    // 3 business hours of work left: at risk once less than 3 h remain, Tuesday 14:00 Berlin.
    const plan = planAlerts(input({ remaining: { stage: 'arrived', minutes: 180 } }));
    const risk = plan.find((a) => a.kind === 'at_risk');
    expect(risk).toMatchObject({ ruleKey: 'at_risk:arrived', severity: 'high', dueAt: at('2026-11-24T13:00:00Z') });
    // More work left than the whole window: at risk from the start.
    const now = planAlerts(input({ remaining: { stage: 'dispatched', minutes: 10_000 } })).find((a) => a.kind === 'at_risk');
    expect(now?.dueAt).toEqual(at('2026-11-23T08:00:00Z'));
  });

  it('leaves out stale warnings a later rule supersedes, keeping the latest one due', () => {
    // Planned on Tuesday 16:40 Berlin: 50 %, 75 %, 90 % and the lead (16:30) lie behind; the lead is the latest.
    const plan = planAlerts(input({ now: at('2026-11-24T15:40:00Z') }));
    expect(plan.map((a) => a.ruleKey).sort()).toEqual(['breach', 'escalation', 'lead:30', 'repeat']);
    // Once the deadline has passed, no warning is raised any more: breach, repeat and escalation remain.
    const late = planAlerts(input({ now: at('2026-11-25T12:00:00Z') }));
    expect(late.map((a) => a.ruleKey).sort()).toEqual(['breach', 'escalation', 'repeat']);
  });

  it('raises one alert, not a burst, when the whole window is shorter than a minute', () => {
    const plan = planAlerts(
      input({
        policies: [promisePolicy({ basis: 'wall', leadMinutes: [] })],
        windows: { promised: { start: at('2026-11-23T08:00:00Z'), end: at('2026-11-23T08:00:30Z'), version: 1 }, required: null },
        now: at('2026-11-23T08:00:00Z'),
      }),
    );
    expect(plan.map((a) => a.ruleKey).sort()).toEqual(['breach', 'escalation', 'repeat']);
  });

  it('raises only the breach when the deadline lies at or before the start', () => {
    const plan = planAlerts(
      input({ windows: { promised: { start: at('2026-11-23T08:00:00Z'), end: at('2026-11-23T08:00:00Z'), version: 1 }, required: null } }),
    );
    expect(plan.filter((a) => a.kind === 'fraction' || a.kind === 'lead')).toEqual([]);
    expect(byKey(plan).breach).toBe('2026-11-23T08:00:00.000Z');
  });

  it('gives leads longer than the window no alert and rates severities', () => {
    const plan = planAlerts(input({ policies: [promisePolicy({ leadMinutes: [30, 100_000] })] }));
    expect(plan.map((a) => a.ruleKey)).not.toContain('lead:100000');
    const severity = Object.fromEntries(plan.map((a) => [a.ruleKey, a.severity]));
    expect(severity).toMatchObject({ 'fraction:0.5': 'low', 'fraction:0.75': 'medium', breach: 'high', escalation: 'critical' });
  });

  it('handles a calendar with weekend-only hours (nothing on weekdays)', () => {
    const weekend = calendarOf('America/New_York', [['10:00', '14:00']], ['sat', 'sun']);
    const plan = planAlerts(
      input({
        calendar: weekend,
        windows: { promised: { start: at('2026-11-23T15:00:00Z'), end: at('2026-11-30T15:00:00Z'), version: 1 }, required: null },
        policies: [promisePolicy({ fractions: [0.5], leadMinutes: [] })],
        now: at('2026-11-23T15:00:00Z'),
      }),
    );
    // 8 business hours (Sat + Sun 10–14 New York); half = Saturday 14:00 EST = 19:00Z.
    expect(byKey(plan)['fraction:0.5']).toBe('2026-11-28T19:00:00.000Z');
  });
});
