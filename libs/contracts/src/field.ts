import { z } from 'zod';
import { milestoneKindSchema, type MilestoneKind } from './cases';
import { instantSchema } from './common';

/** The engineer asks for a new promise: the time he can keep and why. */
export const createRepromiseRequestSchema = z
  .object({
    proposedAt: instantSchema,
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();
export type CreateRepromiseRequest = z.infer<typeof createRepromiseRequestSchema>;

/**
 * The dispatcher accepts the request: the existing re-promise is made at `promisedAt` (her edit of the
 * proposal; the proposal itself when omitted). `version` (or If-Match) is the case version she read.
 */
export const acceptRepromiseRequestSchema = z
  .object({
    promisedAt: instantSchema.optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type AcceptRepromiseRequest = z.infer<typeof acceptRepromiseRequestSchema>;

export const declineRepromiseRequestSchema = z
  .object({ note: z.string().trim().min(1).max(1000) })
  .strict();
export type DeclineRepromiseRequest = z.infer<typeof declineRepromiseRequestSchema>;

export const REPROMISE_REQUEST_STATES = ['open', 'accepted', 'declined'] as const;
export type RepromiseRequestState = (typeof REPROMISE_REQUEST_STATES)[number];

export interface RepromiseRequestResponse {
  id: string;
  caseId: string;
  requestedBy: { id: string | null; name: string | null };
  requestedAt: string;
  proposedAt: string;
  reason: string;
  /** The promise when he asked (null when there was none). */
  promisedAtRequest: string | null;
  state: RepromiseRequestState;
  decidedBy: { id: string | null; name: string | null } | null;
  decidedAt: string | null;
  /** The promise made on acceptance: the proposal or the dispatcher's edit. */
  acceptedPromisedAt: string | null;
  decisionNote: string | null;
  alertId: string | null;
}

export interface RepromiseRequestList {
  items: RepromiseRequestResponse[];
}

/** What a note-and-photo upload may be: photos from a phone (HEIC included) or a PDF. */
export const ATTACHMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf'] as const;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Query of an upload (the body is the file itself, sent with its own Content-Type). */
export const uploadAttachmentQuerySchema = z
  .object({
    milestone: milestoneKindSchema.optional(),
    note: z.string().trim().min(1).max(1000).optional(),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      // A plain name: no path separators and no control characters (checked without a control-char regex).
      .refine((v) => !/[/\\]/.test(v) && [...v].every((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f), 'a plain file name')
      .optional(),
  })
  .strict();
export type UploadAttachmentQuery = z.infer<typeof uploadAttachmentQuerySchema>;

export interface AttachmentResponse {
  id: string;
  caseId: string;
  milestone: MilestoneKind | null;
  note: string | null;
  fileName: string;
  contentType: AttachmentContentType;
  sizeBytes: number;
  uploadedBy: { id: string | null; name: string | null };
  createdAt: string;
}

export interface AttachmentList {
  items: AttachmentResponse[];
}
