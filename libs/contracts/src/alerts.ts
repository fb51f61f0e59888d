import { z } from 'zod';
import { instantSchema, paginationQuerySchema } from './common';
import { ROLES } from './auth';

/** Which of the four times a policy watches. */
export const ALERT_TARGETS = ['promised', 'required'] as const;
export type AlertTarget = (typeof ALERT_TARGETS)[number];

/** The kinds of rule a policy expands into; `customer` and `request` are raised at once by someone's answer or request (not planned). */
export const ALERT_RULE_KINDS = ['fraction', 'lead', 'at_risk', 'breach', 'repeat', 'escalation', 'customer', 'request'] as const;
/** Kinds of the recovery alerts (goodwill approvals, root causes): raised by the API, not planned from a policy. */
export const RECOVERY_ALERT_KINDS = ['goodwill_approval', 'root_cause', 'action_overdue'] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** pending: scheduled; fired: delivered to the inbox; acknowledged; cancelled: superseded before firing. */
export const ALERT_STATES = ['pending', 'fired', 'acknowledged', 'cancelled'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_CHANNELS = ['in_app', 'email', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

export const ALERT_BASES = ['business', 'wall'] as const;
export type AlertBasis = (typeof ALERT_BASES)[number];

const fraction = z.number().gt(0).lt(1);
const minutes = z.number().int().min(1).max(525_600);

const policyFields = {
  name: z.string().trim().min(1).max(120),
  target: z.enum(ALERT_TARGETS),
  /** Windows measured on the case's business calendar, or in wall time. */
  basis: z.enum(ALERT_BASES),
  /** Fractions of the window elapsed at which to warn, e.g. [0.5, 0.75, 0.9]. */
  fractions: z.array(fraction).max(10),
  /** Minutes before the deadline at which to warn, e.g. [30]. */
  leadMinutes: z.array(minutes).max(10),
  atBreach: z.boolean(),
  /** Repeat every N minutes after breach until acknowledged; null = never. */
  repeatEveryMinutes: minutes.nullable(),
  /** Escalate to the manager role M minutes after breach if nobody acknowledged; null = never. */
  escalateAfterMinutes: minutes.nullable(),
  /** Warn when the remaining steps' expected durations no longer fit in the time left. */
  atRisk: z.boolean(),
  channels: z.array(z.enum(ALERT_CHANNELS)).min(1),
  recipientRoles: z.array(z.enum(ROLES)).min(1),
  active: z.boolean(),
};

export const createAlertPolicyRequestSchema = z.object(policyFields).strict();
export type CreateAlertPolicyRequest = z.infer<typeof createAlertPolicyRequestSchema>;

export const updateAlertPolicyRequestSchema = z
  .object({ ...policyFields, version: z.number().int().min(1).optional() })
  .partial()
  .strict();
export type UpdateAlertPolicyRequest = z.infer<typeof updateAlertPolicyRequestSchema>;

export interface AlertPolicyResponse extends CreateAlertPolicyRequest {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const listAlertsQuerySchema = paginationQuerySchema.extend({
  /** `open` = fired and not acknowledged (snoozed ones excluded until their time). */
  state: z.enum(['open', 'pending', 'fired', 'acknowledged', 'cancelled', 'all']).default('open'),
  caseId: z.uuid().optional(),
  /**
   * `me`: the alerts addressed to the caller — those of cases assigned to her, and those sent to her role on
   * cases of her team (or of no team; a user without a team gets all of her role's). `all` (the default for
   * API clients; the inbox asks for `me` first): every alert of the tenant.
   */
  for: z.enum(['me', 'all']).default('all'),
});
export type ListAlertsQuery = z.infer<typeof listAlertsQuerySchema>;

/**
 * Acknowledge the open alerts of one case at once ("acknowledge all for this case"). The client names
 * the alerts it showed, so an alert that fired after the page was drawn is not acknowledged unseen;
 * alerts already acknowledged are skipped (a retry changes nothing). `Idempotency-Key` is honoured.
 */
export const acknowledgeCaseAlertsRequestSchema = z
  .object({
    caseId: z.uuid(),
    alertIds: z.array(z.uuid()).min(1).max(500),
  })
  .strict();
export type AcknowledgeCaseAlertsRequest = z.infer<typeof acknowledgeCaseAlertsRequestSchema>;

export interface AcknowledgeCaseAlertsResponse {
  caseId: string;
  /** How many were acknowledged by this request (0 on a retry). */
  acknowledged: number;
  items: AlertResponse[];
}

export interface AlertResponse {
  id: string;
  caseId: string;
  caseReference: string;
  caseSummary: string;
  /** Who works on the case now (cases.assignee_id) with the case's team, so an inbox can show "mine". */
  caseAssignee: { id: string; name: string; team: string | null } | null;
  /** Null for a `customer` alert (she declined a proposed promise or said it is not fixed): no policy made it. */
  policyId: string | null;
  ruleKey: string;
  ruleKind: AlertRuleKind | (typeof RECOVERY_ALERT_KINDS)[number];
  target: AlertTarget;
  severity: AlertSeverity;
  /** The promise version (target promised) or requiredAt version (target required) the alert belongs to. */
  targetVersion: number;
  dueAt: string | null;
  firedAt: string | null;
  /** When it last fired: a repeat alert fires again every N minutes while open (else = firedAt). */
  lastFiredAt: string | null;
  /** How many times a repeat alert has fired (0 for other rules). */
  repeatCount: number;
  state: AlertState;
  acknowledgedBy: { id: string; name: string } | null;
  acknowledgedAt: string | null;
  snoozedUntil: string | null;
  message: string;
  createdAt: string;
}

export const snoozeAlertRequestSchema = z
  .object({
    minutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
    until: instantSchema.optional(),
  })
  .strict()
  .refine((v) => (v.minutes === undefined) !== (v.until === undefined), { message: 'give exactly one of minutes or until' });
export type SnoozeAlertRequest = z.infer<typeof snoozeAlertRequestSchema>;

/** Server-Sent Events on GET /api/v1/events (auth: Authorization header or ?access_token=). */
export type KeptEvent =
  | { type: 'alert'; alert: AlertResponse }
  | { type: 'case'; caseId: string; version: number; status: string };

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const notificationPreferencesSchema = z
  .object({
    emailEnabled: z.boolean(),
    /** Quiet hours in the user's zone: e-mails falling inside wait until the end. null = none. */
    quietHours: z.object({ from: hhmm, to: hhmm, timeZone: z.string().min(1).max(64) }).strict().nullable(),
    /** Send low-severity alerts as one hourly digest e-mail instead of one e-mail each. */
    digestLowSeverity: z.boolean(),
  })
  .strict();
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

export const createWebhookEndpointRequestSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    description: z.string().trim().max(200).optional(),
    /** Only alerts of at least this severity are sent. */
    minSeverity: z.enum(ALERT_SEVERITIES).default('low'),
  })
  .strict();
export type CreateWebhookEndpointRequest = z.infer<typeof createWebhookEndpointRequestSchema>;

export const updateWebhookEndpointRequestSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    description: z.string().trim().max(200).optional(),
    minSeverity: z.enum(ALERT_SEVERITIES).optional(),
    active: z.boolean().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type UpdateWebhookEndpointRequest = z.infer<typeof updateWebhookEndpointRequestSchema>;

export interface WebhookEndpointResponse {
  id: string;
  url: string;
  description: string | null;
  minSeverity: AlertSeverity;
  active: boolean;
  /** Why it was disabled (e.g. the receiver answered 410 Gone). */
  disabledReason: string | null;
  version: number;
  createdAt: string;
}

/** Returned once, on creation: the `whsec_` signing secret. */
export interface CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  secret: string;
}

export interface WebhookDeliveryResponse {
  id: string;
  endpointId: string;
  alertId: string;
  messageId: string;
  state: 'pending' | 'delivered' | 'failed' | 'abandoned';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
