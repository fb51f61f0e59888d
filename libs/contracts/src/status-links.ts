import { z } from 'zod';
import { caseStatusSchema, promiseBreakdownSchema } from './cases';
import { instantSchema } from './common';

/** Default and bounds of a status link's lifetime, in days. */
export const STATUS_LINK_DEFAULT_DAYS = 30;
export const STATUS_LINK_MAX_DAYS = 90;

export const createStatusLinkRequestSchema = z
  .object({
    /** Days until the link stops working (1–90); 30 when omitted. */
    expiresInDays: z.number().int().min(1).max(STATUS_LINK_MAX_DAYS).optional(),
  })
  .strict();
export type CreateStatusLinkRequest = z.infer<typeof createStatusLinkRequestSchema>;

/** The answer to a create: the only time the URL (with its token) is ever shown. */
export const createdStatusLinkSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  expiresAt: instantSchema,
});
export type CreatedStatusLink = z.infer<typeof createdStatusLinkSchema>;

/** A link as listed on the case page: never its token. */
export const statusLinkSchema = z.object({
  id: z.uuid(),
  createdAt: instantSchema,
  expiresAt: instantSchema,
  revokedAt: instantSchema.nullable(),
  lastViewedAt: instantSchema.nullable(),
  viewCount: z.number().int().min(0),
});
export type StatusLink = z.infer<typeof statusLinkSchema>;
export const statusLinkListSchema = z.object({
  items: z.array(statusLinkSchema),
});
export type StatusLinkList = z.infer<typeof statusLinkListSchema>;

/** Languages of the customer's status page (customers.language). */
export const STATUS_PAGE_LANGUAGES = ['en', 'de'] as const;
export const statusPageLanguageSchema = z.enum(STATUS_PAGE_LANGUAGES);
export type StatusPageLanguage = z.infer<typeof statusPageLanguageSchema>;

/** The visit's steps as the customer's page names them (VISIT_STEPS in @kept/domain). */
const visitStepSchema = z.enum(['arrival', 'diagnosis', 'fix', 'test']);

/** A promise as the customer sees it: the worst case and its breakdown in minutes per step. */
export const publicPromiseSchema = z.object({
  promisedAt: instantSchema,
  version: z.number().int(),
  breakdown: z.record(z.string(), z.number()).nullable(),
});

/** One change of the promise, with its reason and whether the customer accepted it. */
export const publicPromiseChangeSchema = z.object({
  at: instantSchema,
  from: instantSchema.nullable(),
  to: instantSchema.nullable(),
  reason: z.string().nullable(),
  customerAccepted: z.enum(['yes', 'no', 'pending']).nullable(),
  /** `promise`: the promise changed; `declined`: she declined a proposed promise (it did not change). */
  kind: z.enum(['promise', 'declined']),
});

/** A new promise proposed to the customer, waiting for her answer. */
export const publicProposalSchema = z.object({
  id: z.uuid(),
  promisedAt: instantSchema,
  breakdown: z.record(z.string(), z.number()).nullable(),
  reason: z.string(),
  createdAt: instantSchema,
});

export const publicSurveySchema = z.object({
  csat: z.number().int().min(1).max(5),
  stress: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  answeredAt: instantSchema,
  /** Until when she may change her answer (24 h after the first one). */
  changeableUntil: instantSchema,
});

/** What the customer sees: her need, the promise and its history, where the work stands; no staff names but the engineer's first name. */
export const publicCaseStatusSchema = z.object({
  reference: z.string(),
  summary: z.string(),
  status: caseStatusSchema,
  openedAt: instantSchema,
  requiredAt: instantSchema.nullable(),
  /** What is at stake, in her words (the case's context). */
  context: z.string().nullable(),
  promisedAt: instantSchema.nullable(),
  promise: publicPromiseSchema.nullable(),
  /** The step the work is at (the first without its milestone); null once tested or before any promise. */
  currentStep: visitStepSchema.nullable(),
  /** The engineer's first name; `onTheWay` with the ETA once he set off and until he arrives. */
  engineer: z
    .object({ firstName: z.string(), onTheWay: z.boolean(), eta: instantSchema.nullable() })
    .nullable(),
  history: z.array(publicPromiseChangeSchema),
  proposal: publicProposalSchema.nullable(),
  survey: publicSurveySchema.nullable(),
  fixedAt: instantSchema.nullable(),
  satisfiedAt: instantSchema.nullable(),
  /** IANA zone of the site (null when the case has no site). */
  timeZone: z.string().nullable(),
  organization: z.string(),
  branding: z.object({
    accentColor: z.string().nullable(),
    logoUrl: z.string().nullable(),
  }),
  language: statusPageLanguageSchema,
  /** What she may do now (each action answers 409 otherwise). */
  actions: z.object({
    answerProposal: z.boolean(),
    confirmSatisfied: z.boolean(),
    reportNotFixed: z.boolean(),
    answerSurvey: z.boolean(),
  }),
});
export type PublicCaseStatus = z.infer<typeof publicCaseStatusSchema>;

/** The customer answers a proposed promise. */
export const answerProposalRequestSchema = z
  .object({
    proposalId: z.uuid(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type AnswerProposalRequest = z.infer<typeof answerProposalRequestSchema>;

/** She confirms she is satisfied (nothing to send). */
export const confirmSatisfiedRequestSchema = z.object({}).strict();
export type ConfirmSatisfiedRequest = z.infer<typeof confirmSatisfiedRequestSchema>;

/** She says it is not fixed: the case reopens. */
export const reportNotFixedRequestSchema = z
  .object({
    comment: z.string().trim().max(1000).optional(),
  })
  .strict();
export type ReportNotFixedRequest = z.infer<typeof reportNotFixedRequestSchema>;

/** Her survey: CSAT 1–5, how stressed the problem made her 1–5, a comment. */
export const surveyRequestSchema = z
  .object({
    csat: z.number().int().min(1).max(5),
    stress: z.number().int().min(1).max(5),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict();
export type SurveyRequest = z.infer<typeof surveyRequestSchema>;

/** A dispatcher proposes a new promise for the customer to accept or decline. */
export const createProposalRequestSchema = z
  .object({
    promisedAt: instantSchema,
    reason: z.string().trim().min(1).max(500),
    promiseBreakdown: promiseBreakdownSchema.optional(),
  })
  .strict();
export type CreateProposalRequest = z.infer<typeof createProposalRequestSchema>;

export const PROPOSAL_STATES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export const promiseProposalSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  promisedAt: instantSchema,
  breakdown: z.record(z.string(), z.number()).nullable(),
  reason: z.string(),
  state: z.enum(PROPOSAL_STATES),
  createdAt: instantSchema,
  answeredAt: instantSchema.nullable(),
  answerNote: z.string().nullable(),
});
export type PromiseProposal = z.infer<typeof promiseProposalSchema>;
export const promiseProposalListSchema = z.object({ items: z.array(promiseProposalSchema) });
export type PromiseProposalList = z.infer<typeof promiseProposalListSchema>;

/** The case's survey as staff see it (null when the customer has not answered). */
export const caseSurveySchema = z.object({
  csat: z.number().int(),
  stress: z.number().int(),
  comment: z.string().nullable(),
  answeredAt: instantSchema,
  updatedAt: instantSchema,
});
export type CaseSurvey = z.infer<typeof caseSurveySchema>;
export const caseFeedbackSchema = z.object({
  survey: caseSurveySchema.nullable(),
  proposals: z.array(promiseProposalSchema),
});
export type CaseFeedback = z.infer<typeof caseFeedbackSchema>;

/** Tokens are 256-bit, base64url without padding: 43 characters. */
export const STATUS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
