import { VISIT_STEP_NAMES } from '@kept/domain';
import { z } from 'zod';
import { expectationSourceSchema, prioritySchema, type ExpectationSource } from './cases';
import { instantSchema } from './common';
import { caseSegmentsSchema } from './segments';

/**
 * The promise recommendation and the expectation engine (issue 5): what the dispatcher sees while taking
 * the call — when the customer will expect closure, what to promise to be kept with the tenant's target
 * probability, how likely the promise she types is to be kept, and options when it cannot meet the need.
 */

/** The steps of a visit, in order: `VISIT_STEPS` of `@kept/domain` is the one list. */
export const PROMISE_STEPS = VISIT_STEP_NAMES;
export const promiseStepSchema = z.enum(PROMISE_STEPS);
export type PromiseStep = z.infer<typeof promiseStepSchema>;

/** Alternatives to offer instead of a bare "no" when the promise lands after the customer's need. */
export const RECOMMENDATION_OPTION_KINDS = ['loaner', 'remote_fix', 'other_branch', 'partial_fix'] as const;
export const recommendationOptionKindSchema = z.enum(RECOMMENDATION_OPTION_KINDS);
export type RecommendationOptionKind = z.infer<typeof recommendationOptionKindSchema>;

/** POST /api/v1/recommendations */
export const recommendationRequestSchema = z
  .object({
    customerId: z.uuid().optional(),
    siteId: z.uuid().optional(),
    contractId: z.uuid().optional(),
    category: z.string().trim().min(1).max(100),
    priority: prioritySchema.default('normal'),
    /** Region of the case; defaults to the site's region when a site is given. */
    region: z.string().trim().min(1).max(200).optional(),
    /** When the case is opened (default: now). */
    openedAt: instantSchema.optional(),
    /** What the customer needs (the first of the four times). */
    requiredAt: instantSchema.optional(),
    /** A promise the dispatcher is considering: the response gives its keep-probability. */
    promisedAt: instantSchema.optional(),
    /** Override of the tenant's target keep-rate (organizations.target_keep_rate). */
    target: z.number().min(0.5).max(0.99).optional(),
    /** The case's extra segment values (queue, department, …), for the levels the tenant's model chose. */
    segments: caseSegmentsSchema.optional(),
  })
  .strict();
export type RecommendationRequest = z.infer<typeof recommendationRequestSchema>;

/** What a figure rests on. */
export interface ForecastBasis {
  /** The segment used, e.g. { category: 'repair', priority: 'high' } ({} = all the tenant's cases). */
  segment: Record<string, string>;
  /** Cases in that segment (closed, and open ones counted as censored). */
  n: number;
  /** Kish effective sample size after recency weighting. */
  effectiveN: number;
  /** Empirical-Bayes prior strength pulling the segment toward its parent, in cases. */
  priorStrength: number;
  /** Half-life of the recency weighting, in days. */
  halfLifeDays: number;
  /** The promise lies beyond every observed duration (few or no data): treat it as a lower bound. */
  extrapolated: boolean;
  /** Durations are measured on the case's business calendar, or wall-clock when there is none. */
  clock: 'business' | 'wall';
  /** Quantile level actually used after conformal calibration (the target itself before any outcome). */
  calibratedLevel: number;
  /**
   * Why the target cannot be promised here, e.g. "34 % of these requests were never closed; …": the
   * recommended promise is then the longest one that can be stood behind, at its lower keepProbability.
   */
  reason?: string | null;
  /** Cases in the tenant's model and when it was built. */
  modelCases: number;
  modelBuiltAt: string;
}

export interface PromiseStepFigure {
  step: PromiseStep;
  /** Budget of this step in minutes (of the clock in `basis.clock`). */
  minutes: number;
  /** `history`: from milestone durations of similar cases; `proportional`: a default split of the total. */
  source: 'history' | 'proportional';
}

export interface ExpectationSourceFigure {
  source: ExpectationSource;
  expectedAt: string;
  /** Share of the expectation carried by this source (0 … 1). */
  weight: number;
  /** Past cases it rests on (0 for sources that are not history). */
  n: number;
}

export interface ExpectationResponse {
  /** When the customer will expect closure; null when nothing at all is known. */
  expectedAt: string | null;
  dominatingSource: ExpectationSource | null;
  /** Past cases the dominating source rests on. */
  n: number;
  effectiveN: number;
  sources: ExpectationSourceFigure[];
}

export interface RecommendationOption {
  kind: RecommendationOptionKind;
  title: string;
  detail: string;
}

export interface RecommendationResponse {
  openedAt: string;
  target: number;
  recommended: {
    promisedAt: string;
    /** Length of the promise in minutes (of the clock in `basis.clock`). */
    durationMinutes: number;
    /** Calibrated probability that this promise is kept (≈ target). */
    keepProbability: number;
  } | null;
  /** The dispatcher's typed promise, when given. */
  typed: { promisedAt: string; durationMinutes: number; keepProbability: number } | null;
  breakdown: PromiseStepFigure[];
  basis: ForecastBasis | null;
  expectation: ExpectationResponse;
  /** Set when the recommended (or typed) promise lands after requiredAt. */
  warning: { code: 'PROMISE_AFTER_REQUIRED'; message: string; lateByMinutes: number } | null;
  /** Alternatives to offer the customer when there is a warning (empty otherwise). */
  options: RecommendationOption[];
  /**
   * `building`: the tenant's forecast model is still being built in the background (first request after
   * a start): `recommended` and `basis` are null, a typed promise's keepProbability is 0 (no evidence yet)
   * and the expectation rests on the contract's promise and the given sources only. Ask again shortly.
   */
  modelStatus: 'ready' | 'building';
}

/** POST /api/v1/expectations — the expectation engine alone, with sources staff recorded. */
export const expectationRequestSchema = z
  .object({
    customerId: z.uuid().optional(),
    siteId: z.uuid().optional(),
    contractId: z.uuid().optional(),
    category: z.string().trim().min(1).max(100),
    priority: prioritySchema.default('normal'),
    region: z.string().trim().min(1).max(200).optional(),
    openedAt: instantSchema.optional(),
    otherSources: z
      .array(z.object({ source: expectationSourceSchema, expectedAt: instantSchema }))
      .max(20)
      .default([]),
  })
  .strict();
export type ExpectationRequest = z.infer<typeof expectationRequestSchema>;

/** Result of POST /api/v1/imports (and of `kept import`). */
export interface ImportResponse {
  batchId: string;
  fileSha256: string;
  rows: number;
  inserted: number;
  /** Rows already imported earlier (same external id or same content): nothing was added for them. */
  alreadyPresent: number;
  rejected: number;
  rejectedRows: { line: number; reason: string }[];
  strict: boolean;
}
