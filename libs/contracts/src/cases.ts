import { STEP_BREAKDOWN_KEYS, type StepBreakdownKey } from '@kept/domain';
import { z } from 'zod';
import { caseSegmentsSchema } from './segments';
import { instantSchema, paginationQuerySchema } from './common';

export const CASE_STATUSES = ['open', 'paused', 'fixed', 'satisfied', 'cancelled'] as const;
export const caseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

export const MILESTONE_KINDS = [
  'dispatched',
  'engineer_eta',
  'arrived',
  'diagnosed',
  'fixed',
  'test_passed',
  'customer_confirmed',
] as const;
export const milestoneKindSchema = z.enum(MILESTONE_KINDS);
export type MilestoneKind = z.infer<typeof milestoneKindSchema>;

/** Where an expectation comes from (seed 002): history, the contract, or what staff heard. */
export const EXPECTATION_SOURCES = [
  'previous_experience',
  'tenant_history',
  'organizational_promise',
  'competitor_norm',
  'personnel_promise',
  'consumer_habits',
  'word_of_mouth',
  'stated_by_customer',
] as const;
export const expectationSourceSchema = z.enum(EXPECTATION_SOURCES);
export type ExpectationSource = z.infer<typeof expectationSourceSchema>;

export const customerAcceptanceSchema = z.enum(['yes', 'no', 'pending']);
export type CustomerAcceptance = z.infer<typeof customerAcceptanceSchema>;

const stepMinutesSchema = z.number().min(0).max(525_600).optional();

/**
 * A worst-case promise built step by step (arrival, diagnosis, fix, test), in minutes; its keys are the
 * breakdown keys of `VISIT_STEPS` in `@kept/domain`.
 */
export const promiseBreakdownSchema = z.object(
  Object.fromEntries(STEP_BREAKDOWN_KEYS.map((key) => [key, stepMinutesSchema])) as Record<
    StepBreakdownKey,
    typeof stepMinutesSchema
  >,
);
export type PromiseBreakdown = z.infer<typeof promiseBreakdownSchema>;

export const createCaseRequestSchema = z
  .object({
    customerId: z.uuid(),
    siteId: z.uuid().optional(),
    assetId: z.uuid().optional(),
    contractId: z.uuid().optional(),
    category: z.string().trim().min(1).max(100),
    priority: prioritySchema.default('normal'),
    summary: z.string().trim().min(1).max(500),
    context: z.string().trim().max(4000).optional(),
    stressLevel: z.number().int().min(1).max(5).optional(),
    /** When the case was opened; defaults to now. Imports and back-office entry may set it. */
    openedAt: instantSchema.optional(),
    requiredAt: instantSchema.optional(),
    expectedAt: instantSchema.optional(),
    expectationSource: expectationSourceSchema.optional(),
    promisedAt: instantSchema.optional(),
    promiseBreakdown: promiseBreakdownSchema.optional(),
    // No keepProbability: the server computes the promise's keep-probability from its forecast and
    // stores it with the promise; a client-sent value is rejected (strict schema).
    customerAccepted: customerAcceptanceSchema.optional(),
    /** The engineer the case is sent to: an active engineer of the tenant (422 otherwise). */
    assigneeId: z.uuid().optional(),
    /** Extra segment values by name (queue, department, …) the tenant's model may choose as levels. */
    segments: caseSegmentsSchema.optional(),
  })
  .strict();
export type CreateCaseRequest = z.infer<typeof createCaseRequestSchema>;

export const listCasesQuerySchema = paginationQuerySchema.extend({
  status: z
    .union([caseStatusSchema, z.string().regex(/^[a-z]+(,[a-z]+)*$/)])
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(caseStatusSchema).optional()),
  customerId: z.uuid().optional(),
  siteId: z.uuid().optional(),
  category: z.string().max(100).optional(),
  priority: prioritySchema.optional(),
  q: z.string().max(200).optional(),
  openedFrom: instantSchema.optional(),
  openedTo: instantSchema.optional(),
});
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>;

const versioned = { version: z.number().int().min(1).optional() };

export const updateCaseRequestSchema = z
  .object({
    category: z.string().trim().min(1).max(100).optional(),
    priority: prioritySchema.optional(),
    summary: z.string().trim().min(1).max(500).optional(),
    context: z.string().trim().max(4000).optional(),
    stressLevel: z.number().int().min(1).max(5).optional(),
    requiredAt: instantSchema.nullable().optional(),
    expectedAt: instantSchema.nullable().optional(),
    expectationSource: expectationSourceSchema.optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
    ...versioned,
  })
  .strict();
export type UpdateCaseRequest = z.infer<typeof updateCaseRequestSchema>;

export const repromiseRequestSchema = z
  .object({
    promisedAt: instantSchema,
    reason: z.string().trim().min(1).max(1000),
    customerAccepted: customerAcceptanceSchema.default('pending'),
    promiseBreakdown: promiseBreakdownSchema.optional(),
    ...versioned,
  })
  .strict();
export type RepromiseRequest = z.infer<typeof repromiseRequestSchema>;

/**
 * A dispatcher changes who works on the case (`assigneeId: null` unassigns it). The reason goes into
 * the ledger entry with the old and the new assignee.
 */
export const assignCaseRequestSchema = z
  .object({
    assigneeId: z.uuid().nullable(),
    reason: z.string().trim().min(1).max(500),
    /** The case's team; defaults to the new assignee's users.team (null when unassigned). */
    team: z.string().trim().min(1).max(100).nullable().optional(),
    ...versioned,
  })
  .strict();
export type AssignCaseRequest = z.infer<typeof assignCaseRequestSchema>;

/** The keep-probability a re-promise at `promisedAt` would be stored with (POST /cases/:id/keep-probability). */
export const keepProbabilityRequestSchema = z.object({ promisedAt: instantSchema }).strict();
export type KeepProbabilityRequest = z.infer<typeof keepProbabilityRequestSchema>;

export interface KeepProbabilityResponse {
  promisedAt: string;
  /**
   * The forecast's probability that the case is done by `promisedAt`, given it is still open now
   * (0 for a time already passed); null when the forecast has no data or the case is fixed.
   */
  keepProbability: number | null;
}

export const pauseRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(1000), at: instantSchema.optional(), ...versioned })
  .strict();
export type PauseRequest = z.infer<typeof pauseRequestSchema>;

export const transitionRequestSchema = z
  .object({ at: instantSchema.optional(), reason: z.string().trim().max(1000).optional(), ...versioned })
  .strict();
export type TransitionRequest = z.infer<typeof transitionRequestSchema>;

export const recordMilestoneRequestSchema = z
  .object({
    kind: milestoneKindSchema,
    at: instantSchema.optional(),
    note: z.string().trim().max(1000).optional(),
    ...versioned,
  })
  .strict();
export type RecordMilestoneRequest = z.infer<typeof recordMilestoneRequestSchema>;

export type Verdict = 'kept' | 'missed' | 'open';

export interface GapResponse {
  /** later − earlier in wall-clock minutes (negative when the later time comes first). */
  wallMinutes: number;
  /** the same gap in business minutes on the case's calendar. */
  businessMinutes: number;
}

export interface CaseGapsResponse {
  promisedMinusRequired: GapResponse | null;
  promisedMinusExpected: GapResponse | null;
  satisfiedMinusPromised: GapResponse | null;
  satisfiedMinusRequired: GapResponse | null;
  /** Was the promise kept (satisfied by promisedAt)? */
  promise: Verdict | null;
  /** Was the need met (satisfied by requiredAt)? */
  need: Verdict | null;
  calendar: 'contract' | 'site' | 'always';
}

/** The user a case is assigned to, and the case's team (set from the user's team at assignment). */
export interface CaseAssigneeResponse {
  id: string;
  name: string;
  team: string | null;
}

export interface CaseSummaryResponse {
  id: string;
  reference: string;
  customer: { id: string; name: string };
  site: { id: string; name: string; timeZone: string } | null;
  assetId: string | null;
  contractId: string | null;
  category: string;
  priority: Priority;
  summary: string;
  stressLevel: number | null;
  status: CaseStatus;
  pauseReason: string | null;
  openedAt: string;
  requiredAt: string | null;
  expectedAt: string | null;
  promisedAt: string | null;
  fixedAt: string | null;
  satisfiedAt: string | null;
  promiseVersion: number;
  version: number;
  gaps: CaseGapsResponse;
  /** Who works on the case (cases.assignee_id) with the case's team (cases.team); null when unassigned. */
  assignee: CaseAssigneeResponse | null;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerEntryResponse {
  id: string;
  at: string;
  actor: { id: string | null; kind: 'user' | 'api_key' | 'system' | 'customer'; name: string | null };
  /** `assignee`: old/new value are user ids (null = unassigned), named in oldLabel/newLabel. */
  field: 'requiredAt' | 'expectedAt' | 'promisedAt' | 'satisfiedAt' | 'fixedAt' | 'status' | 'assignee' | 'proposal' | 'survey';
  oldValue: string | null;
  newValue: string | null;
  /** For `assignee` entries: the users' names (as they are now); null for other fields or no user. */
  oldLabel: string | null;
  newLabel: string | null;
  reason: string | null;
  expectationSource: ExpectationSource | null;
  customerAccepted: CustomerAcceptance | null;
  promiseVersion: number;
}

export interface MilestoneResponse {
  id: string;
  kind: MilestoneKind;
  at: string;
  actor: { id: string | null; name: string | null };
  note: string | null;
}

export interface PauseResponse {
  id: string;
  from: string;
  to: string | null;
  reason: string;
}

export interface PromiseVersionResponse {
  version: number;
  promisedAt: string;
  breakdown: PromiseBreakdown | null;
  /** The forecast keep-probability the promise was made with; null when none was recorded. */
  keepProbability: number | null;
  reason: string | null;
  customerAccepted: CustomerAcceptance | null;
  createdAt: string;
}

export interface CaseDetailResponse extends CaseSummaryResponse {
  context: string | null;
  expectationSource: ExpectationSource | null;
  ledger: LedgerEntryResponse[];
  milestones: MilestoneResponse[];
  pauses: PauseResponse[];
  promises: PromiseVersionResponse[];
}
