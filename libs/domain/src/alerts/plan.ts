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
  /** Per policy id and version: how many repeats have fired, and whether someone acknowledged. */
  progress?: ReadonlyMap<string, { repeatsFired: number; acknowledged: boolean }>;
  now: Date;
}

export interface PlannedAlert {
  policyId: string;
  /** Unique per policy and version: `fraction:0.5`, `lead:30`, `at_risk:arrived`, `breach`, `repeat:2`, `escalation`. */
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
 * - `breach`: at the deadline; `repeat:k`: every N minutes after it until acknowledged (only the next
 *   one is planned; the worker plans the one after when it fires);
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
  progress: { repeatsFired: number; acknowledged: boolean } | undefined,
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
      const k = (progress?.repeatsFired ?? 0) + 1;
      rules.push(at('repeat', `repeat:${k}`, windowMinutes + k * policy.repeatEveryMinutes, 'high'));
    }
    if (policy.escalateAfterMinutes) {
      rules.push(at('escalation', 'escalation', windowMinutes + policy.escalateAfterMinutes, 'critical'));
    }
  }
  return rules;
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
