import { z } from 'zod';
import { ROOT_CAUSE_CATEGORIES } from '@kept/domain';
import { instantSchema } from './common';

/** Amounts are integers in minor units (cents); 10 million in major units is the most anything may be. */
export const MAX_MINOR = 1_000_000_000;
export const minorSchema = z.number().int().min(0).max(MAX_MINOR);
const positiveMinorSchema = z.number().int().min(1).max(MAX_MINOR);

/** ISO 4217 codes the runtime knows (Intl), e.g. USD, EUR. */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : ['EUR', 'USD', 'GBP', 'CHF'],
);
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine((c) => KNOWN_CURRENCIES.has(c), 'unknown currency');

const keySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _');
const textSchema = (max: number) => z.string().trim().min(1).max(max);

export const goodwillKindSchema = z
  .object({
    key: keySchema,
    label: textSchema(80),
    /** Money is paid or credited; other kinds (gift, loaner, free visit, discount) have a value for budgets. */
    money: z.boolean(),
    /** The value of one unit of a non-money kind; for money the amount is given per offer. */
    valueMinor: minorSchema,
    currency: currencySchema,
  })
  .strict();
export type GoodwillKind = z.infer<typeof goodwillKindSchema>;

export const GOODWILL_ROLES = ['admin', 'manager', 'dispatcher', 'engineer'] as const;

export const goodwillSettingsSchema = z
  .object({
    currency: currencySchema,
    /** What each role may give per case without approval, in minor units. */
    limits: z.object({ admin: minorSchema, manager: minorSchema, dispatcher: minorSchema, engineer: minorSchema }).strict(),
    /** The compensation ladder: offer, raise, limit, then a manager's approval above it. Ascending. */
    ladder: z
      .array(positiveMinorSchema)
      .min(1)
      .max(10)
      .refine((l) => l.every((v, i) => i === 0 || v > l[i - 1]), 'must be strictly ascending'),
    kinds: z
      .array(goodwillKindSchema)
      .min(1)
      .max(20)
      .refine((k) => new Set(k.map((x) => x.key)).size === k.length, 'keys must be unique'),
    /** Options offered instead of a bare no when the promise lands after the need. */
    options: z
      .array(textSchema(80))
      .min(1)
      .max(20)
      .refine((o) => new Set(o).size === o.length, 'options must be unique'),
  })
  .strict();
export type GoodwillSettings = z.infer<typeof goodwillSettingsSchema>;
export type GoodwillSettingsResponse = GoodwillSettings & { version: number };

export const DEFAULT_GOODWILL_SETTINGS: GoodwillSettings = {
  currency: 'EUR',
  limits: { admin: 2_000_00, manager: 500_00, dispatcher: 200_00, engineer: 100_00 },
  ladder: [100_00, 150_00, 200_00, 500_00],
  kinds: [
    { key: 'credit', label: 'Credit note', money: true, valueMinor: 0, currency: 'EUR' },
    { key: 'gift', label: 'Gift', money: false, valueMinor: 30_00, currency: 'EUR' },
    { key: 'loaner', label: 'Loaner instrument', money: false, valueMinor: 150_00, currency: 'EUR' },
    { key: 'free_visit', label: 'Free visit', money: false, valueMinor: 250_00, currency: 'EUR' },
    { key: 'discount', label: 'Discount on next service', money: false, valueMinor: 50_00, currency: 'EUR' },
  ],
  options: ['Loaner', 'Remote fix', 'Other branch', 'Partial fix first', 'Later slot with compensation'],
};

export const budgetRequestSchema = z
  .object({
    team: textSchema(100),
    month: z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
    amountMinor: minorSchema,
    currency: currencySchema,
  })
  .strict();
export type BudgetRequest = z.infer<typeof budgetRequestSchema>;
export interface Budget extends BudgetRequest {
  spentMinor: number;
  leftMinor: number;
}
export interface BudgetList {
  items: Budget[];
}

export const createOfferRequestSchema = z
  .object({
    kind: keySchema,
    /** For money: the amount. For other kinds: optional, the number of units times the kind's value when omitted. */
    valueMinor: positiveMinorSchema.optional(),
    quantity: z.number().int().min(1).max(100).optional(),
    currency: currencySchema.optional(),
    reason: textSchema(500),
  })
  .strict();
export type CreateOfferRequest = z.infer<typeof createOfferRequestSchema>;

export const OFFER_STATES = ['given', 'approval_requested', 'denied'] as const;
export type OfferState = (typeof OFFER_STATES)[number];

export interface GoodwillEvent {
  event: 'given' | 'approval_requested' | 'approved' | 'denied' | 'accepted' | 'declined';
  by: string | null;
  byName: string | null;
  at: string;
  note: string | null;
}

export interface GoodwillOffer {
  id: string;
  caseId: string;
  kind: string;
  money: boolean;
  valueMinor: number;
  currency: string;
  team: string | null;
  reason: string;
  /** The gap that caused it: promise or need missed by so many minutes (null when nothing was missed yet). */
  gap: { target: 'promised' | 'required'; minutes: number } | null;
  stressLevel: number | null;
  offeredBy: string | null;
  offeredByName: string | null;
  offeredAt: string;
  state: OfferState;
  needsApprovalBecause: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  customerResponse: 'accepted' | 'declined' | null;
  events: GoodwillEvent[];
}

export interface LadderSuggestionResponse {
  valueMinor: number | null;
  step: number | null;
  needsApproval: boolean;
  why: string;
  currency: string;
}

export interface CaseGoodwill {
  caseId: string;
  currency: string;
  givenMinor: number;
  /** The caller's own per-case limit. */
  myLimitMinor: number;
  suggestion: LadderSuggestionResponse;
  offers: GoodwillOffer[];
  options: CaseOptionsRecord[];
}

export const decisionRequestSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

export const customerResponseRequestSchema = z.object({ response: z.enum(['accepted', 'declined']) }).strict();
export type CustomerResponseRequest = z.infer<typeof customerResponseRequestSchema>;

export interface OfferList {
  items: GoodwillOffer[];
}

export const caseOptionsRequestSchema = z
  .object({
    /** Keys from the tenant's list of options, plus free text. */
    offered: z
      .array(textSchema(80))
      .min(1)
      .max(20)
      .refine((o) => new Set(o).size === o.length, 'options must be unique'),
    chosen: textSchema(80).nullable().optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((r) => r.chosen == null || r.offered.includes(r.chosen), { path: ['chosen'], message: 'must be one of the options offered' });
export type CaseOptionsRequest = z.infer<typeof caseOptionsRequestSchema>;

export interface CaseOptionsRecord {
  id: string;
  caseId: string;
  offered: string[];
  chosen: string | null;
  note: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

export interface GoodwillAnalytics {
  currency: string;
  /** Options customers were offered and took, with how those cases ended (closed ones only for kept). */
  options: { option: string; offered: number; chosen: number; closed: number; kept: number }[];
  /** Goodwill given by the customer's stress level at intake. */
  byStress: { stressLevel: number | null; offers: number; givenMinor: number }[];
  /** CSAT (1–5) from the status page's survey, for cases given goodwill vs missed and kept cases without; none until a customer answers. */
  csat: GoodwillCsat;
}

export const CSAT_GROUPS = ['goodwill', 'missed_without', 'kept_without'] as const;
export type CsatGroup = (typeof CSAT_GROUPS)[number];
export type GoodwillCsat =
  | { available: false; reason: string }
  | { available: true; groups: { group: CsatGroup; responses: number; average: number }[] };

export const rootCauseCategorySchema = z.enum(ROOT_CAUSE_CATEGORIES);

export const createRootCauseRequestSchema = z
  .object({
    category: rootCauseCategorySchema,
    /** The five whys: one to five notes, each answering "why?" to the one before. */
    whys: z.array(textSchema(500)).min(1).max(5),
    correctiveAction: textSchema(1000),
    ownerId: z.uuid(),
    dueAt: instantSchema,
  })
  .strict();
export type CreateRootCauseRequest = z.infer<typeof createRootCauseRequestSchema>;

export interface RootCause {
  id: string;
  caseId: string;
  caseReference: string;
  category: z.infer<typeof rootCauseCategorySchema>;
  whys: string[];
  correctiveAction: string;
  ownerId: string | null;
  ownerName: string | null;
  dueAt: string;
  doneAt: string | null;
  overdue: boolean;
  minutesLost: number;
  team: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

export interface RootCauseQueueItem {
  caseId: string;
  reference: string;
  summary: string;
  team: string | null;
  satisfiedAt: string;
  minutesLate: number;
}
export interface RootCauseQueue {
  items: RootCauseQueueItem[];
}
export interface RootCauseList {
  items: RootCause[];
}
export interface RootCauseAnalytics {
  pareto: { category: string; count: number; hoursLost: number; cumulativeShare: number }[];
  byTeam: { team: string | null; category: string; count: number; hoursLost: number }[];
  openActions: number;
  overdueActions: number;
  /** Missed cases still waiting for their root cause. */
  queued: number;
}
export const rootCauseAnalyticsQuerySchema = z
  .object({ from: instantSchema.optional(), to: instantSchema.optional() })
  .strict();
