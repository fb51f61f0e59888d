import type { AlertTarget } from '@kept/contracts';
import {
  AlertPolicyRules,
  AlertProgress,
  AlertWindow,
  atRiskSince,
  BusinessCalendar,
  caseClock,
  ExpectedStepMinutes,
  formatInstantIn,
  Pause,
  planAlerts,
  PlannedAlert,
  remainingWork,
  RemainingWork,
  StepBreakdown,
  VISIT_STEPS,
  VisitStep,
} from '@kept/domain';
import type { Sql } from '../../common/database/sql';
import type { PolicyRow } from './alert.mapper';

interface CaseRow {
  id: string;
  tenant_id: string;
  number: number;
  summary: string;
  category: string;
  status: string;
  opened_at: Date;
  required_at: Date | null;
  required_version: number;
  promised_at: Date | null;
  promise_version: number;
  promise_made_at: Date | null;
  breakdown: Record<string, number> | null;
  calendar: BusinessCalendar | null;
  site_zone: string | null;
  at_risk_at: Date | null;
  paused_since: Date | null;
}

/** An alert of the case as the plan compares it (acknowledged_at only matters as present or not). */
interface ExistingAlert {
  policy_id: string;
  rule_key: string;
  target_version: number;
  kind: string;
  state: string;
  acknowledged_at: string | null;
  fired_at: string | null;
  last_fired_at: string | null;
  repeat_count: number;
  due_at: string | null;
}

const CLOSED = new Set(['satisfied', 'cancelled']);

/** Expected step minutes per tenant and category ('*' = every category), cached briefly (history moves slowly). */
const historyCache = new Map<string, { at: number; expected: ExpectedStepMinutes }>();
const HISTORY_TTL_MS = 10 * 60_000;

export interface ReplanResult {
  planned: number;
  cancelled: number;
}

/** What a case's plan reads besides its own row, as select-list items over a `cases` row aliased `c`. */
export const PLAN_CONTEXT_COLUMNS = `
  (SELECT coalesce(json_agg(ap), '[]') FROM alert_policies ap WHERE ap.tenant_id = c.tenant_id) AS policies,
  (SELECT cal.definition FROM contracts k JOIN calendars cal ON cal.id = k.calendar_id WHERE k.id = c.contract_id) AS calendar,
  (SELECT s.time_zone FROM sites s WHERE s.id = c.site_id) AS site_zone`;

/** The tenant's policies, the case's calendar and zone: {@link PLAN_CONTEXT_COLUMNS} as read. */
export interface PlanContext {
  policies: PolicyRow[];
  calendar: BusinessCalendar | null;
  site_zone: string | null;
}

type PlanInput = CaseRow & {
  policies: PolicyRow[];
  existing: ExistingAlert[];
  pauses: { started_at: Date; ended_at: Date | null }[];
  reached: string[];
};

/**
 * Brings the pending alerts of one case in line with its current times, pauses, milestones and the
 * tenant's policies, in the caller's transaction: inserts the alerts that should exist, moves the ones
 * whose time changed, and cancels pending alerts that no longer apply (old promise version, closed
 * case, deactivated policy). Fired alerts are history and never touched. Jobs follow via the trigger.
 * Two round trips at most: one read, one write.
 */
export async function replanCase(sql: Sql, caseId: string, now: Date): Promise<ReplanResult> {
  // Everything the plan needs in one round trip: the case with its current promise and clock, the tenant's
  // policies, the case's alerts, pauses and the milestones it reached. The case row is locked first, before
  // any alert: every path that changes a case's alerts (a request, a fire job, an acknowledgement, a tenant
  // re-plan) takes the locks in the same order — case, then its alerts — so none can deadlock another.
  const [row] = await sql<CaseRow & PlanContext & { existing: ExistingAlert[]; pauses: { started_at: string; ended_at: string | null }[]; reached: string[] }>(
    `SELECT c.id, c.tenant_id, c.number, c.summary, c.category, c.status, c.opened_at, c.required_at,
            c.required_version, c.promised_at, c.promise_version, p.created_at AS promise_made_at, p.breakdown,
            c.at_risk_at, c.paused_since, ${PLAN_CONTEXT_COLUMNS},
            (SELECT coalesce(json_agg(json_build_object('policy_id', a.policy_id, 'rule_key', a.rule_key, 'target_version', a.target_version,
                                                        'kind', a.kind, 'state', a.state, 'acknowledged_at', a.acknowledged_at,
                                                        'fired_at', a.fired_at, 'last_fired_at', a.last_fired_at,
                                                        'repeat_count', a.repeat_count, 'due_at', a.due_at)), '[]')
               FROM alerts a WHERE a.case_id = c.id) AS existing,
            (SELECT coalesce(json_agg(json_build_object('started_at', cp.started_at, 'ended_at', cp.ended_at)), '[]')
               FROM case_pauses cp WHERE cp.case_id = c.id) AS pauses,
            ARRAY(SELECT DISTINCT m.kind FROM case_milestones m WHERE m.case_id = c.id) AS reached
       FROM cases c
       LEFT JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
      WHERE c.id = $1
        FOR NO KEY UPDATE OF c`,
    [caseId],
  );
  if (!row) return { planned: 0, cancelled: 0 };
  const pauses = row.pauses.map((p) => ({ started_at: new Date(p.started_at), ended_at: p.ended_at === null ? null : new Date(p.ended_at) }));
  return applyPlan(sql, { ...row, pauses }, now);
}

/**
 * The first plan of a case inserted in the caller's transaction, from what the insert wrote and read
 * (`row`: the new cases row as JSON, `context`: {@link PLAN_CONTEXT_COLUMNS} read with it) and its first
 * promise's breakdown: what {@link replanCase} would do for it, without reading it back. A new case has
 * no alerts, pauses or milestones yet. One round trip (none when nothing is to be written).
 */
export function planNewCase(
  sql: Sql,
  row: Record<string, unknown>,
  context: PlanContext,
  breakdown: Record<string, number> | null,
  now: Date,
): Promise<ReplanResult> {
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const c: CaseRow = {
    id: row.id as string,
    tenant_id: row.tenant_id as string,
    number: Number(row.number),
    summary: row.summary as string,
    category: row.category as string,
    status: row.status as string,
    opened_at: at(row.opened_at) as Date,
    required_at: at(row.required_at),
    required_version: Number(row.required_version),
    promised_at: at(row.promised_at),
    promise_version: Number(row.promise_version),
    // windowsOf reads the promise's own time only from the second version on.
    promise_made_at: null,
    breakdown: Number(row.promise_version) > 0 ? breakdown : null,
    calendar: context.calendar,
    site_zone: context.site_zone,
    at_risk_at: at(row.at_risk_at),
    paused_since: at(row.paused_since),
  };
  return applyPlan(sql, { ...c, policies: context.policies, existing: [], pauses: [], reached: [] }, now);
}

/**
 * The plan of a case as read, written in one statement: its risk, the stale alerts cancelled, the planned
 * ones upserted. Risk is data: the case's at-risk instant ({@link atRiskSince}, the domain's rule) and the
 * start of its open pause are stored on the case so the board classifies open cases in SQL; written only
 * when they changed.
 */
async function applyPlan(sql: Sql, row: PlanInput, now: Date): Promise<ReplanResult> {
  const { policies, existing, reached, pauses, ...c } = row;
  const caseId = c.id;

  const clock = caseClock({ contractCalendar: c.calendar, siteZone: c.site_zone });
  const zone = clock.zone;
  const windows = windowsOf(c);
  const remaining = windows.promised || windows.required ? await remainingWorkOf(sql, c, reached) : null;
  const domainPauses = pauses.map((p): Pause => ({ from: p.started_at, to: p.ended_at }));
  const risk = {
    atRiskAt: atRiskSince({
      status: c.status,
      openedAt: c.opened_at,
      promisedAt: c.promised_at,
      promiseMadeAt: windows.promised?.start ?? c.opened_at,
      requiredAt: c.required_at,
      remaining,
      calendar: clock.calendar,
      pauses: domainPauses.filter((p) => p.to !== null),
    }),
    pausedSince: c.status === 'paused' ? (domainPauses.find((p) => p.to === null)?.from ?? null) : null,
  };
  const planned = planAlerts({
    policies: policies.map(toRules),
    windows,
    businessCalendar: clock.calendar,
    wallCalendar: clock.wallCalendar,
    pauses: domainPauses,
    remaining,
    progress: progressOf(existing),
    now,
  });

  const rolesByPolicy = new Map(policies.map((p) => [p.id, p.recipient_roles]));
  const keep = new Set(planned.map((a) => keyOf(a.policyId, a.ruleKey, a.targetVersion)));
  const stale = existing.filter((a) => a.state === 'pending' && !keep.has(keyOf(a.policy_id, a.rule_key, a.target_version)));
  // An open repeat alert that should not fire again (acknowledged deadline, closed case, new version) stays
  // open as history but loses its next time (the trigger removes its job).
  const stopped = existing.filter(
    (a) => a.kind === 'repeat' && a.state === 'fired' && a.due_at !== null && !keep.has(keyOf(a.policy_id, a.rule_key, a.target_version)),
  );
  const riskChanged = !(same(c.at_risk_at, risk.atRiskAt) && same(c.paused_since, risk.pausedSince));
  if (!riskChanged && stale.length === 0 && stopped.length === 0 && planned.length === 0) return { planned: 0, cancelled: 0 };

  const when = deadlineFormat(zone);
  // One statement: the four parts touch different rows (the case; pending alerts no longer planned; open
  // repeats no longer planned; the planned ones), so they cannot see or undo each other's changes.
  const [result] = await sql<{ cancelled: number }>(
    `WITH risk AS (
       UPDATE cases SET at_risk_at = $12, paused_since = $13 WHERE id = $2 AND $14::boolean RETURNING 1
     ), cancelled AS (
       UPDATE alerts SET state = 'cancelled', updated_at = now()
        WHERE case_id = $2 AND state = 'pending' AND (policy_id, rule_key, target_version) IN
              (SELECT * FROM unnest($15::uuid[], $16::text[], $17::int[]))
        RETURNING id
     ), stopped AS (
       UPDATE alerts SET due_at = NULL, updated_at = now()
        WHERE case_id = $2 AND kind = 'repeat' AND state = 'fired' AND (policy_id, rule_key, target_version) IN
              (SELECT * FROM unnest($18::uuid[], $19::text[], $20::int[]))
        RETURNING id
     ), planned AS (
       INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, message, recipient_roles)
       SELECT $1, $2, x.policy_id, x.rule_key, x.kind, x.target, x.target_version, x.severity, x.due_at, x.message,
              ARRAY(SELECT json_array_elements_text(x.roles))
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::timestamptz[], $10::text[], $11::json[])
              AS x(policy_id, rule_key, kind, target, target_version, severity, due_at, message, roles)
       ON CONFLICT (case_id, policy_id, rule_key, target_version) DO UPDATE
          SET due_at = EXCLUDED.due_at, message = EXCLUDED.message, updated_at = now()
        WHERE (alerts.state = 'pending' OR (alerts.kind = 'repeat' AND alerts.state = 'fired'))
          AND alerts.due_at IS DISTINCT FROM EXCLUDED.due_at
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM cancelled)::int AS cancelled`,
    [
      c.tenant_id,
      caseId,
      planned.map((a) => a.policyId),
      planned.map((a) => a.ruleKey),
      planned.map((a) => a.kind),
      planned.map((a) => a.target),
      planned.map((a) => a.targetVersion),
      planned.map((a) => a.severity),
      planned.map((a) => a.dueAt),
      planned.map((a) => messageOf(c, a, when)),
      planned.map((a) => JSON.stringify(a.kind === 'escalation' ? ['manager'] : (rolesByPolicy.get(a.policyId) ?? []))),
      risk.atRiskAt,
      risk.pausedSince,
      riskChanged,
      stale.map((a) => a.policy_id),
      stale.map((a) => a.rule_key),
      stale.map((a) => a.target_version),
      stopped.map((a) => a.policy_id),
      stopped.map((a) => a.rule_key),
      stopped.map((a) => a.target_version),
    ],
  );
  return { planned: planned.length, cancelled: Number(result.cancelled) };
}

const same = (a: Date | null, b: Date | null) => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

/** The windows watched: promise from when it was made (the opening for the first), need from the opening. */
function windowsOf(c: CaseRow): Record<AlertTarget, AlertWindow | null> {
  if (CLOSED.has(c.status)) return { promised: null, required: null };
  const madeAt = c.promise_version > 1 && c.promise_made_at ? c.promise_made_at : c.opened_at;
  return {
    promised: c.promised_at ? { start: madeAt, end: c.promised_at, version: c.promise_version } : null,
    required: c.required_at ? { start: c.opened_at, end: c.required_at, version: c.required_version } : null,
  };
}

function toRules(p: PolicyRow): AlertPolicyRules {
  return {
    id: p.id,
    target: p.target,
    basis: p.basis,
    fractions: p.fractions.map(Number),
    leadMinutes: p.lead_minutes,
    atBreach: p.at_breach,
    repeatEveryMinutes: p.repeat_every_minutes,
    escalateAfterMinutes: p.escalate_after_minutes,
    atRisk: p.at_risk,
    active: p.active,
  };
}

/** Per policy and version: the repeats fired, the last of them, the breach's firing and any acknowledgement. */
function progressOf(rows: ExistingAlert[]): Map<string, AlertProgress> {
  const progress = new Map<string, AlertProgress>();
  const date = (v: string | null) => (v === null ? null : new Date(v));
  for (const r of rows) {
    const key = `${r.policy_id}:${r.target_version}`;
    const p: AlertProgress = progress.get(key) ?? { repeatsFired: 0, acknowledged: false, breachFiredAt: null, lastRepeatAt: null };
    if (r.kind === 'repeat' && r.state !== 'cancelled') {
      p.repeatsFired += r.repeat_count;
      p.lastRepeatAt = date(r.last_fired_at);
    }
    if (r.kind === 'breach' && r.state !== 'cancelled') p.breachFiredAt = date(r.fired_at);
    if (r.acknowledged_at && (r.kind === 'breach' || r.kind === 'repeat' || r.kind === 'escalation')) p.acknowledged = true;
    progress.set(key, p);
  }
  return progress;
}

/**
 * What is left to do in this case, for the at-risk rule ({@link remainingWork}): its milestones, the
 * tenant's expected step minutes for the category and the current promise's breakdown.
 */
async function remainingWorkOf(sql: Sql, c: CaseRow, reached: string[]): Promise<RemainingWork | null> {
  if (c.status === 'fixed') return null;
  const expected = (await expectedStepMinutes(sql, c.tenant_id, [c.category])).get(c.category) ?? {};
  return remainingWork(
    reached,
    expected,
    c.breakdown as Partial<StepBreakdown> | null,
    c.status,
  );
}

/**
 * The expected minutes of each visit step for the tenant's cases, per category: the median over the
 * cases opened in the last 365 days of the time from the previous step's end (the opening for arrival)
 * to the first occurrence of the step's milestone — wall minutes, an estimate. A median is taken over
 * the cases that reached both ends of its step; a negative median is dropped. `null` asks for the
 * median over every category of the tenant.
 *
 * The one reader of step history: the alert planner's at-risk rule and the forecast's step shares both
 * use it. One query answers all the categories asked for; answers are cached for 10 minutes.
 *
 * @returns an entry for every category asked for (`{}` when it has no history).
 */
export async function expectedStepMinutes(
  sql: Sql,
  tenantId: string,
  categories: (string | null)[],
): Promise<Map<string | null, ExpectedStepMinutes>> {
  const keyOfCategory = (category: string | null) => `${tenantId}:${category === null ? '*' : `=${category}`}`;
  const result = new Map<string | null, ExpectedStepMinutes>();
  const missing: (string | null)[] = [];
  for (const category of new Set(categories)) {
    const hit = historyCache.get(keyOfCategory(category));
    if (hit && Date.now() - hit.at < HISTORY_TTL_MS) result.set(category, hit.expected);
    else missing.push(category);
  }
  if (missing.length === 0) return result;

  const everyCategory = missing.includes(null);
  const named = missing.filter((c): c is string => c !== null);
  const rows = await sql<Record<VisitStep, number | null> & { category: string | null; every_category: number }>(
    `WITH m AS (
       SELECT c.category, c.opened_at,
              min(ms.at) FILTER (WHERE ms.kind = 'arrived') AS arrived,
              min(ms.at) FILTER (WHERE ms.kind = 'diagnosed') AS diagnosed,
              min(ms.at) FILTER (WHERE ms.kind = 'fixed') AS fixed,
              min(ms.at) FILTER (WHERE ms.kind = 'test_passed') AS tested
         FROM cases c JOIN case_milestones ms ON ms.case_id = c.id
        WHERE c.tenant_id = $1 AND c.opened_at > now() - interval '365 days'
          AND ($3::boolean OR c.category = ANY($2::text[]))
        GROUP BY c.id, c.category, c.opened_at)
     SELECT category, GROUPING(category) AS every_category,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM arrived - opened_at) / 60) AS arrival,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM diagnosed - arrived) / 60) AS diagnosis,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fixed - diagnosed) / 60) AS fix,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM tested - fixed) / 60) AS test
       FROM m
      GROUP BY GROUPING SETS ((category), ())`,
    [tenantId, named, everyCategory],
  );
  const found = new Map<string | null, ExpectedStepMinutes>();
  for (const row of rows) {
    const expected: ExpectedStepMinutes = {};
    for (const s of VISIT_STEPS) {
      const v = row[s.step];
      if (v !== null && v !== undefined && Number(v) >= 0) expected[s.step] = Number(v);
    }
    // The grand total row (every category) only answers `null`; filtered to named ones it means nothing.
    if (Number(row.every_category) === 1) {
      if (everyCategory) found.set(null, expected);
    } else found.set(row.category, expected);
  }
  const at = Date.now();
  for (const category of missing) {
    const expected = found.get(category) ?? {};
    historyCache.set(keyOfCategory(category), { at, expected });
    result.set(category, expected);
  }
  return result;
}

const keyOf = (policyId: string, ruleKey: string, version: number) => `${policyId}|${ruleKey}|${version}`;

function messageOf(c: CaseRow, a: PlannedAlert, format: (at: Date) => string): string {
  const what = a.target === 'promised' ? 'promise' : 'need';
  const deadline = a.target === 'promised' ? c.promised_at : c.required_at;
  const when = deadline ? format(deadline) : '';
  const ref = `K-${c.number} ${c.summary}`;
  switch (a.kind) {
    case 'fraction':
      return `${ref}: ${Math.round(Number(a.ruleKey.split(':')[1]) * 100)} % of the ${what} window has elapsed (due ${when})`;
    case 'lead':
      return `${ref}: the ${what} falls due in ${a.ruleKey.split(':')[1]} minutes (${when})`;
    case 'at_risk':
      return `${ref}: at risk — the remaining steps no longer fit before the ${what} (${when})`;
    case 'breach':
      return `${ref}: the ${what} was missed (due ${when})`;
    case 'repeat':
      return `${ref}: the ${what} is still missed and unacknowledged (due ${when})`;
    case 'escalation':
      return `${ref}: escalated — the missed ${what} (due ${when}) has not been acknowledged`;
  }
}

/**
 * Deadlines in the site's zone, named, in Kept's one format (`formatInstantIn`, libs/domain), each
 * formatted once: a plan's alerts (7 for a new case) share at most two deadlines.
 */
function deadlineFormat(zone: string): (at: Date) => string {
  const formatted = new Map<number, string>();
  return (at) => {
    let text = formatted.get(at.getTime());
    if (text === undefined) formatted.set(at.getTime(), (text = formatInstantIn(at, zone)));
    return text;
  };
}
