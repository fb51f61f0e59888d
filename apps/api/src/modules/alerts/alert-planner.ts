import type { AlertTarget } from '@kept/contracts';
import {
  alwaysOpenCalendar,
  AlertPolicyRules,
  AlertWindow,
  BusinessCalendar,
  Pause,
  planAlerts,
  PlannedAlert,
} from '@kept/domain';
import type { Sql } from '../../common/database/sql';

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
}

interface PolicyRow {
  id: string;
  target: AlertTarget;
  basis: 'business' | 'wall';
  fractions: number[];
  lead_minutes: number[];
  at_breach: boolean;
  repeat_every_minutes: number | null;
  escalate_after_minutes: number | null;
  at_risk: boolean;
  recipient_roles: string[];
  active: boolean;
}

/** The steps of a visit in order, the milestone that ends each, and its key in a promise breakdown. */
const STEPS = [
  { step: 'arrival', endsWith: 'arrived', breakdownKey: 'arrivalMinutes' },
  { step: 'diagnosis', endsWith: 'diagnosed', breakdownKey: 'diagnosisMinutes' },
  { step: 'fix', endsWith: 'fixed', breakdownKey: 'fixMinutes' },
  { step: 'test', endsWith: 'test_passed', breakdownKey: 'testMinutes' },
] as const;
type StepName = (typeof STEPS)[number]['step'];

const CLOSED = new Set(['satisfied', 'cancelled']);

/** Medians of past step durations per tenant and category, cached briefly (history moves slowly). */
const historyCache = new Map<string, { at: number; medians: Partial<Record<StepName, number>> }>();
const HISTORY_TTL_MS = 10 * 60_000;

export interface ReplanResult {
  planned: number;
  cancelled: number;
}

/**
 * Brings the pending alerts of one case in line with its current times, pauses, milestones and the
 * tenant's policies, in the caller's transaction: inserts the alerts that should exist, moves the ones
 * whose time changed, and cancels pending alerts that no longer apply (old promise version, closed
 * case, deactivated policy). Fired alerts are history and never touched. Jobs follow via the trigger.
 */
export async function replanCase(sql: Sql, caseId: string, now: Date): Promise<ReplanResult> {
  const [c] = await sql<CaseRow>(
    `SELECT c.id, c.tenant_id, c.number, c.summary, c.category, c.status, c.opened_at, c.required_at,
            c.required_version, c.promised_at, c.promise_version, p.created_at AS promise_made_at, p.breakdown,
            cal.definition AS calendar, s.time_zone AS site_zone
       FROM cases c
       LEFT JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
       LEFT JOIN contracts k ON k.id = c.contract_id
       LEFT JOIN calendars cal ON cal.id = k.calendar_id
       LEFT JOIN sites s ON s.id = c.site_id
      WHERE c.id = $1`,
    [caseId],
  );
  if (!c) return { planned: 0, cancelled: 0 };

  const policies = await sql<PolicyRow>(`SELECT * FROM alert_policies WHERE tenant_id = $1`, [c.tenant_id]);
  const existing = await sql<{ policy_id: string; rule_key: string; target_version: number; kind: string; state: string; acknowledged_at: Date | null }>(
    `SELECT policy_id, rule_key, target_version, kind, state, acknowledged_at FROM alerts WHERE case_id = $1`,
    [caseId],
  );
  const pauses = await sql<{ started_at: Date; ended_at: Date | null }>(
    `SELECT started_at, ended_at FROM case_pauses WHERE case_id = $1`,
    [caseId],
  );
  const zone = c.site_zone ?? c.calendar?.timeZone ?? 'UTC';
  const windows = windowsOf(c);
  const planned = planAlerts({
    policies: policies.map(toRules),
    windows,
    businessCalendar: c.calendar ?? alwaysOpenCalendar(zone),
    wallCalendar: alwaysOpenCalendar(zone),
    pauses: pauses.map((p): Pause => ({ from: p.started_at, to: p.ended_at })),
    remaining: windows.promised || windows.required ? await remainingWork(sql, c) : null,
    progress: progressOf(existing),
    now,
  });

  const rolesByPolicy = new Map(policies.map((p) => [p.id, p.recipient_roles]));
  const keep = new Set(planned.map((a) => keyOf(a.policyId, a.ruleKey, a.targetVersion)));
  const stale = existing.filter((a) => a.state === 'pending' && !keep.has(keyOf(a.policy_id, a.rule_key, a.target_version)));

  let cancelled = 0;
  if (stale.length) {
    const rows = await sql(
      `UPDATE alerts SET state = 'cancelled', updated_at = now()
        WHERE case_id = $1 AND state = 'pending' AND (policy_id, rule_key, target_version) IN
              (SELECT * FROM unnest($2::uuid[], $3::text[], $4::int[]))
        RETURNING id`,
      [caseId, stale.map((a) => a.policy_id), stale.map((a) => a.rule_key), stale.map((a) => a.target_version)],
    );
    cancelled = rows.length;
  }
  if (planned.length) {
    await sql(
      `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, message, recipient_roles)
       SELECT $1, $2, x.policy_id, x.rule_key, x.kind, x.target, x.target_version, x.severity, x.due_at, x.message,
              ARRAY(SELECT json_array_elements_text(x.roles))
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::timestamptz[], $10::text[], $11::json[])
              AS x(policy_id, rule_key, kind, target, target_version, severity, due_at, message, roles)
       ON CONFLICT (case_id, policy_id, rule_key, target_version) DO UPDATE
          SET due_at = EXCLUDED.due_at, message = EXCLUDED.message, updated_at = now()
        WHERE alerts.state = 'pending' AND alerts.due_at IS DISTINCT FROM EXCLUDED.due_at`,
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
        planned.map((a) => messageOf(c, a, zone)),
        planned.map((a) => JSON.stringify(a.kind === 'escalation' ? ['manager'] : (rolesByPolicy.get(a.policyId) ?? []))),
      ],
    );
  }
  return { planned: planned.length, cancelled };
}

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

function progressOf(rows: { policy_id: string; target_version: number; kind: string; state: string; acknowledged_at: Date | null }[]) {
  const progress = new Map<string, { repeatsFired: number; acknowledged: boolean }>();
  for (const r of rows) {
    const key = `${r.policy_id}:${r.target_version}`;
    const p = progress.get(key) ?? { repeatsFired: 0, acknowledged: false };
    if (r.kind === 'repeat' && (r.state === 'fired' || r.state === 'acknowledged')) p.repeatsFired += 1;
    if (r.acknowledged_at && (r.kind === 'breach' || r.kind === 'repeat' || r.kind === 'escalation')) p.acknowledged = true;
    progress.set(key, p);
  }
  return progress;
}

/**
 * What is left to do, for the at-risk rule: the steps after the last milestone reached, each with its
 * expected length — the median of the tenant's past cases of the category (wall minutes: an estimate),
 * else the current promise's breakdown. The breakdown is the plan the promise was built from (its steps
 * add up to the window), so a step taken from it counts as late only once its planned end has passed:
 * the next step's planned minutes are not counted as still to do.
 */
async function remainingWork(sql: Sql, c: CaseRow): Promise<{ stage: string; minutes: number } | null> {
  if (c.status === 'fixed') return null;
  const reached = await sql<{ kind: string }>(`SELECT DISTINCT kind FROM case_milestones WHERE case_id = $1`, [c.id]);
  const done = new Set(reached.map((r) => r.kind));
  let last = -1;
  STEPS.forEach((s, i) => {
    if (done.has(s.endsWith)) last = i;
  });
  const left = STEPS.slice(last + 1);
  if (left.length === 0) return null;
  const medians = await stepMedians(sql, c.tenant_id, c.category);
  let minutes = 0;
  for (const [i, s] of left.entries()) {
    const expected = medians[s.step];
    const planned = c.breakdown?.[s.breakdownKey];
    if (expected !== undefined) minutes += expected;
    else if (typeof planned === 'number') minutes += i === 0 ? 0 : planned;
    else return null; // Unknown step length: no basis for an at-risk warning.
  }
  if (minutes <= 0) return null;
  return { stage: last >= 0 ? STEPS[last].endsWith : 'opened', minutes };
}

async function stepMedians(sql: Sql, tenantId: string, category: string): Promise<Partial<Record<StepName, number>>> {
  const key = `${tenantId}:${category}`;
  const hit = historyCache.get(key);
  if (hit && Date.now() - hit.at < HISTORY_TTL_MS) return hit.medians;
  const [row] = await sql<Record<StepName, number | null> & { n: number }>(
    `WITH m AS (
       SELECT c.opened_at,
              min(ms.at) FILTER (WHERE ms.kind = 'arrived') AS arrived,
              min(ms.at) FILTER (WHERE ms.kind = 'diagnosed') AS diagnosed,
              min(ms.at) FILTER (WHERE ms.kind = 'fixed') AS fixed,
              min(ms.at) FILTER (WHERE ms.kind = 'test_passed') AS tested
         FROM cases c JOIN case_milestones ms ON ms.case_id = c.id
        WHERE c.tenant_id = $2 AND c.category = $1 AND c.opened_at > now() - interval '365 days'
        GROUP BY c.id, c.opened_at)
     SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM arrived - opened_at) / 60) AS arrival,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM diagnosed - arrived) / 60) AS diagnosis,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fixed - diagnosed) / 60) AS fix,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM tested - fixed) / 60) AS test,
            count(*)::int AS n
       FROM m`,
    [category, tenantId],
  );
  const medians: Partial<Record<StepName, number>> = {};
  for (const s of STEPS) {
    const v = row?.[s.step];
    if (v !== null && v !== undefined && Number(v) >= 0) medians[s.step] = Number(v);
  }
  historyCache.set(key, { at: Date.now(), medians });
  return medians;
}

const keyOf = (policyId: string, ruleKey: string, version: number) => `${policyId}|${ruleKey}|${version}`;

function messageOf(c: CaseRow, a: PlannedAlert, zone: string): string {
  const what = a.target === 'promised' ? 'promise' : 'need';
  const deadline = a.target === 'promised' ? c.promised_at : c.required_at;
  const when = deadline ? formatIn(deadline, zone) : '';
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

function formatIn(at: Date, zone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return `${text} ${zone}`;
}
