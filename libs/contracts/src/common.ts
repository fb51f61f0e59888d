import { z } from 'zod';

/** An instant on the wire: ISO 8601 with an offset or `Z`, e.g. `2026-11-23T14:00:00Z`. */
export const instantSchema = z.iso.datetime({ offset: true });

export const uuidSchema = z.uuid();

export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null on the last page. */
  nextCursor: string | null;
}

/** RFC 9457 problem details, as every error of the API is answered. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: { path: string; message: string }[];
  traceId?: string;
}
