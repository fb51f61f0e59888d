import type { AlertPolicyResponse, AlertResponse, WebhookDeliveryResponse, WebhookEndpointResponse } from '@kept/contracts';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The columns every alert query selects (alerts a, cases c, users u for the acknowledger, au for the case's assignee). */
export const ALERT_COLUMNS = `a.*, c.number AS case_number, c.summary AS case_summary, u.name AS acknowledged_by_name,
  c.assignee_id AS case_assignee_id, au.name AS case_assignee_name, c.team AS case_team`;
export const ALERT_FROM = `alerts a JOIN cases c ON c.id = a.case_id LEFT JOIN users u ON u.id = a.acknowledged_by
  LEFT JOIN users au ON au.id = c.assignee_id`;

export interface AlertRow {
  id: string;
  tenant_id: string;
  case_id: string;
  case_number: number;
  case_summary: string;
  case_assignee_id: string | null;
  case_assignee_name: string | null;
  case_team: string | null;
  policy_id: string | null;
  rule_key: string;
  kind: AlertResponse['ruleKind'];
  target: AlertResponse['target'];
  target_version: number;
  severity: AlertResponse['severity'];
  due_at: Date | null;
  fired_at: Date | null;
  last_fired_at: Date | null;
  repeat_count: number;
  state: AlertResponse['state'];
  muted: boolean;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  acknowledged_at: Date | null;
  snoozed_until: Date | null;
  message: string;
  recipient_roles: string[];
  created_at: Date;
}

export const toAlert = (r: AlertRow): AlertResponse => ({
  id: r.id,
  caseId: r.case_id,
  caseReference: `K-${r.case_number}`,
  caseSummary: r.case_summary,
  caseAssignee: r.case_assignee_id ? { id: r.case_assignee_id, name: r.case_assignee_name ?? '', team: r.case_team } : null,
  policyId: r.policy_id,
  ruleKey: r.rule_key,
  ruleKind: r.kind,
  target: r.target,
  severity: r.severity,
  targetVersion: r.target_version,
  dueAt: iso(r.due_at),
  firedAt: iso(r.fired_at),
  lastFiredAt: iso(r.last_fired_at ?? r.fired_at),
  repeatCount: r.repeat_count ?? 0,
  state: r.state,
  acknowledgedBy: r.acknowledged_by ? { id: r.acknowledged_by, name: r.acknowledged_by_name ?? '' } : null,
  acknowledgedAt: iso(r.acknowledged_at),
  snoozedUntil: iso(r.snoozed_until),
  message: r.message,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface PolicyRow {
  id: string;
  name: string;
  target: AlertPolicyResponse['target'];
  basis: AlertPolicyResponse['basis'];
  fractions: number[];
  lead_minutes: number[];
  at_breach: boolean;
  repeat_every_minutes: number | null;
  escalate_after_minutes: number | null;
  at_risk: boolean;
  channels: AlertPolicyResponse['channels'];
  recipient_roles: AlertPolicyResponse['recipientRoles'];
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const toPolicy = (r: PolicyRow): AlertPolicyResponse => ({
  id: r.id,
  name: r.name,
  target: r.target,
  basis: r.basis,
  fractions: r.fractions.map(Number),
  leadMinutes: r.lead_minutes,
  atBreach: r.at_breach,
  repeatEveryMinutes: r.repeat_every_minutes,
  escalateAfterMinutes: r.escalate_after_minutes,
  atRisk: r.at_risk,
  channels: r.channels,
  recipientRoles: r.recipient_roles,
  active: r.active,
  version: r.version,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  secret: string;
  min_severity: WebhookEndpointResponse['minSeverity'];
  active: boolean;
  disabled_reason: string | null;
  version: number;
  created_at: Date;
}

export const toEndpoint = (r: EndpointRow): WebhookEndpointResponse => ({
  id: r.id,
  url: r.url,
  description: r.description,
  minSeverity: r.min_severity,
  active: r.active,
  disabledReason: r.disabled_reason,
  version: r.version,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  alert_id: string;
  message_id: string;
  state: WebhookDeliveryResponse['state'] | 'skipped';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

export const toDelivery = (r: DeliveryRow): WebhookDeliveryResponse => ({
  id: r.id,
  endpointId: r.endpoint_id,
  alertId: r.alert_id,
  messageId: r.message_id,
  state: r.state === 'skipped' ? 'abandoned' : r.state,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptAt: iso(r.next_attempt_at),
  deliveredAt: iso(r.delivered_at),
  createdAt: new Date(r.created_at).toISOString(),
});
