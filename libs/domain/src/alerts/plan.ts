import { atRiskMinute, type RemainingWork } from '../risk/risk';
import { addBusinessTime, businessTimeBetween } from '../time/business-time';
import type { BusinessCalendar, Pause } from '../time/types';
import { MAX_TIME_MS } from '../time/units';

export type AlertTarget = 'promised' | 'required';
export type AlertRuleKind = 'fraction' | 'lead' | 'at_risk' | 'breach' | 'repeat' | 'escalation';
export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

/** The rules of one alert policy (the API's row, minus delivery settings). */
export interface AlertPolicyRules {
  id: string;
  target: AlertTarget;
  basis: 'business' | 'wall';
  fractions: readonly number[];
  leadMinutes: readonly number[];
  atBreach: boolean;
  repeatEveryMinutes: number | null;
  escalateAfterMinutes: number | null;
  atRisk: boolean;
  active: boolean;
}

/** A deadline watched by policies: the window runs from `start` to `end`; `version` names it. */
export interface AlertWindow {
  start: Date;
  end: Date;
  version: number;
}

export interface AlertPlanInput {
  policies: readonly AlertPolicyRules[];
  /** null when the case has no such time, or when the case is closed (nothing may fire). */
  windows: Record<AlertTarget, AlertWindow | null>;
  /** The case's business calendar (`caseClock(…).calendar`: contract calendar, else 24/7 in the site's zone). */
  businessCalendar: BusinessCalendar;
  /** 24/7 in the case's zone (`caseClock(…).wallCalendar`): the clock of policies measured in wall time. */
  wallCalendar: BusinessCalendar;
  /** Pauses stop both clocks; an open pause (to = null) puts every alert after it on hold. */
  pauses: readonly Pause[];
  /**
   * Expected business minutes of the steps still to do, and the stage reached (e.g. "arrived"), or
   * null when unknown: drives the at-risk rule (see `remainingWork` in risk/risk.ts).
   */
  remaining: RemainingWork | null;
  /** Per policy id and version (`<policyId>:<version>`): what has fired so far, and whether someone acknowledged. */
  progress?: ReadonlyMap<string, AlertProgress>;
  now: Date;
}

/** What a policy's alerts on one version of a deadline have done so far. */
export interface AlertProgress {
  /** How many times the repeat has fired (the one `repeat` alert counts them). */
  repeatsFired: number;
  acknowledged: boolean;
  /** When the breach fired (null or absent: not yet). */
  breachFiredAt?: Date | null;
  /** When the repeat last fired (null or absent: never). */
  lastRepeatAt?: Date | null;
}

export interface PlannedAlert {
  policyId: string;
  /**
   * Unique per policy and version: `fraction:0.5`, `lead:30`, `at_risk:arrived`, `breach`, `repeat`, `escalation`.
   * There is one `repeat` alert per policy and version: it fires again every N minutes, counting its repeats.
   */
  ruleKey: string;
  kind: AlertRuleKind;
  target: AlertTarget;
  targetVersion: number;
  severity: AlertSeverity;
  /** When it falls due; null while an open pause holds the clock. */
  dueAt: Date | null;
  /** Where on the window's clock it falls: minutes of (business or wall) time after the window start. */
  atMinute: number;
  /** Minutes of the window (business or wall): what fractions and leads are measured against. */
  windowMinutes: number;
}

/** A warning with a later rule due within this span of its own firing is not raised. */
const SUPERSEDE_WITHIN_MS = 60_000;

/**
 * Every alert a case should have right now, from its policies: the pure rule arithmetic of the
 * scheduler. Positions are measured on the window's clock (business time on the case calendar, or
 * wall time), so a pause moves every alert after it by its length, and an open pause holds them.
 *
 * - `fraction f`: when f of the window has elapsed; `lead m`: m minutes before the deadline;
 * - `at_risk:<stage>`: when the remaining steps' expected minutes no longer fit in the time left
 *   ({@link atRiskMinute}; the board's `assessRisk` flags a case at risk from the same moment);
 * - `breach`: at the deadline; `repeat`: every N minutes after it until acknowledged — one alert that
 *   fires again (only its next time is planned; the worker plans the one after when it fires). Repeats
 *   that fell due while nothing ran collapse into one, the latest ({@link nextRepeat});
 * - `escalation`: M minutes after the deadline, unless acknowledged.
 *
 * Warnings that a later rule of the same policy would follow within a minute are left out, so a case
 * created late (or with a very short window) does not raise a burst of warnings at once.
 */
export function planAlerts(input: AlertPlanInput): PlannedAlert[] {
  const planned: PlannedAlert[] = [];
  for (const policy of input.policies) {
    if (!policy.active) continue;
    const window = input.windows[policy.target];
    if (!window) continue;
    const calendar = policy.basis === 'business' ? input.businessCalendar : input.wallCalendar;
    const progress = input.progress?.get(`${policy.id}:${window.version}`);
    const rules = rulesOf(policy, window, calendar, input, progress);
    planned.push(...dropSuperseded(rules, input.now));
  }
  return planned;
}

function rulesOf(
  policy: AlertPolicyRules,
  window: AlertWindow,
  calendar: BusinessCalendar,
  input: AlertPlanInput,
  progress: AlertProgress | undefined,
): PlannedAlert[] {
  const windowMinutes = Math.max(0, businessTimeBetween(window.start, window.end, calendar));
  const at = (kind: AlertRuleKind, ruleKey: string, atMinute: number, severity: AlertSeverity): PlannedAlert => ({
    policyId: policy.id,
    ruleKey,
    kind,
    target: policy.target,
    targetVersion: window.version,
    severity,
    dueAt: dueAt(window.start, atMinute, calendar, input.pauses),
    atMinute,
    windowMinutes,
  });
  const rules: PlannedAlert[] = [];
  if (windowMinutes > 0) {
    for (const f of new Set(policy.fractions)) {
      rules.push(at('fraction', `fraction:${f}`, f * windowMinutes, f >= 0.75 ? 'medium' : 'low'));
    }
    for (const m of new Set(policy.leadMinutes)) {
      if (m < windowMinutes) rules.push(at('lead', `lead:${m}`, windowMinutes - m, 'medium'));
    }
    if (policy.atRisk && input.remaining && input.remaining.minutes > 0) {
      rules.push(at('at_risk', `at_risk:${input.remaining.stage}`, atRiskMinute(windowMinutes, input.remaining), 'high'));
    }
  }
  if (policy.atBreach) rules.push(at('breach', 'breach', windowMinutes, 'high'));
  if (!progress?.acknowledged) {
    if (policy.atBreach && policy.repeatEveryMinutes) {
      const every = policy.repeatEveryMinutes;
      const slot = (k: number) => dueAt(window.start, windowMinutes + k * every, calendar, input.pauses);
      const k = nextRepeat(slot, progress, input.now);
      rules.push(at('repeat', 'repeat', windowMinutes + k * every, 'high'));
    }
    if (policy.escalateAfterMinutes) {
      rules.push(at('escalation', 'escalation', windowMinutes + policy.escalateAfterMinutes, 'critical'));
    }
  }
  return rules;
}

/**
 * Which repeat (k ≥ 1: the one k × N minutes after the deadline) is the next to fire. Repeats never
 * come in a burst:
 * - before the breach has fired, the breach is the news: the first repeat is the first slot after both
 *   the deadline and now (a case planned three days late gets its breach now and a repeat N minutes later);
 * - after the breach (or the last repeat) fired at `anchor`, the next is the first slot after it; when
 *   that slot, and maybe more, already lie in the past (no worker ran), they collapse into one: the latest
 *   slot not after now, which fires at once — and the one after it is again the first slot after now.
 * `slot(k)` is non-decreasing in k (null = held by an open pause = never), so both searches are binary.
 */
export function nextRepeat(slot: (k: number) => Date | null, progress: AlertProgress | undefined, now: Date): number {
  const anchor = progress?.lastRepeatAt ?? progress?.breachFiredAt ?? null;
  if (!anchor) {
    const deadline = slot(0);
    const after = deadline ? Math.max(now.getTime(), deadline.getTime()) : now.getTime();
    return firstSlotAfter(slot, after);
  }
  const next = firstSlotAfter(slot, anchor.getTime());
  const afterNow = firstSlotAfter(slot, now.getTime());
  // Slots next … afterNow − 1 fell due while nothing ran: only the latest of them fires.
  return afterNow - 1 >= next ? afterNow - 1 : next;
}

/** The smallest k ≥ 1 whose slot lies strictly after `t` (ms). */
function firstSlotAfter(slot: (k: number) => Date | null, t: number): number {
  const after = (k: number) => {
    const due = slot(k);
    return due === null || due.getTime() > t;
  };
  if (after(1)) return 1;
  let lo = 1; // slot(lo) <= t
  let hi = 2;
  while (!after(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1 << 24) return hi; // tens of years of repeats: no real window gets here
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (after(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The instant `atMinute` minutes of clock time after `start`, skipping pauses; null if a pause holds it. */
function dueAt(start: Date, atMinute: number, calendar: BusinessCalendar, pauses: readonly Pause[]): Date | null {
  const due = addBusinessTime(start, atMinute, calendar, [...pauses]);
  return due.getTime() >= MAX_TIME_MS ? null : due;
}

/**
 * A warning (fraction, lead, at-risk) is left out when a later rule of the same policy — a later
 * warning or the breach — falls due within a minute of when the warning itself would fire (its due
 * time, or now if that has passed): a case planned late, or a very short window, raises one alert,
 * not a burst. Breach, repeat and escalation always stay.
 */
function dropSuperseded(rules: PlannedAlert[], now: Date): PlannedAlert[] {
  const isWarning = (r: PlannedAlert) => r.kind === 'fraction' || r.kind === 'lead' || r.kind === 'at_risk';
  const due = (r: PlannedAlert) => (r.dueAt ? r.dueAt.getTime() : Number.POSITIVE_INFINITY);
  const laterRules = rules.filter((r) => isWarning(r) || r.kind === 'breach');
  return rules.filter((w) => {
    if (!isWarning(w) || !w.dueAt) return true;
    const firesAt = Math.max(now.getTime(), due(w));
    return !laterRules.some((r) => r !== w && r.atMinute > w.atMinute && due(r) <= firesAt + SUPERSEDE_WITHIN_MS);
  });
}
