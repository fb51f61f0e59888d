import { z } from 'zod';
import { caseStatusSchema } from './cases';
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

/** What the customer sees: the minimum, no names of people, no ledger. */
export const publicCaseStatusSchema = z.object({
  reference: z.string(),
  summary: z.string(),
  status: caseStatusSchema,
  openedAt: instantSchema,
  requiredAt: instantSchema.nullable(),
  promisedAt: instantSchema.nullable(),
  fixedAt: instantSchema.nullable(),
  satisfiedAt: instantSchema.nullable(),
  /** IANA zone of the site (null when the case has no site). */
  timeZone: z.string().nullable(),
  organization: z.string(),
});
export type PublicCaseStatus = z.infer<typeof publicCaseStatusSchema>;

/** Tokens are 256-bit, base64url without padding: 43 characters. */
export const STATUS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
