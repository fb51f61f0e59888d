import { z } from 'zod';
import { checkSegmentNames } from './segments';

/**
 * A history mapping says which CSV column feeds which field of an imported case, how its timestamps are
 * written and in which zone they were recorded. One file per dataset (`mappings/<folder>.mapping.json`).
 */
export const HISTORY_TIME_FIELDS = ['createdAt', 'requiredAt', 'promisedAt', 'fixedAt', 'closedAt', 'satisfiedAt'] as const;
export const HISTORY_TEXT_FIELDS = ['externalId', 'category', 'priority', 'customer', 'site', 'region', 'status', 'keptFlag'] as const;
export const HISTORY_FIELDS = [...HISTORY_TIME_FIELDS, ...HISTORY_TEXT_FIELDS] as const;
export type HistoryTimeField = (typeof HISTORY_TIME_FIELDS)[number];
export type HistoryTextField = (typeof HISTORY_TEXT_FIELDS)[number];
export type HistoryField = (typeof HISTORY_FIELDS)[number];

/**
 * How timestamps are written. `iso`: `YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH:MM]`; `us`: `M/D/YYYY[ h:mm[:ss][ AM|PM]]`;
 * `dmy`: `D-M-YYYY` or `D/M/YYYY[ H:MM[:SS]]`. A value with its own offset ignores `zone`.
 */
export const TIMESTAMP_FORMATS = ['iso', 'us', 'dmy'] as const;
export const timestampFormatSchema = z.enum(TIMESTAMP_FORMATS);
export type TimestampFormat = z.infer<typeof timestampFormatSchema>;

const columnName = z.string().trim().min(1).max(200);
/** One column, or several: text fields join the non-empty values with " / ", time fields take the first non-empty. */
export const columnRefSchema = z.union([columnName, z.array(columnName).min(1).max(8)]);

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Field names that are levels already: a segment column may not take one of them. */
export const historyMappingSchema = z
  .object({
    /** Free text: what the dataset is. */
    description: z.string().max(2000).optional(),
    /** IANA zone assumed for timestamps written without an offset. */
    zone: z.string().min(1).max(64).refine(isIanaZone, { message: 'not an IANA time zone (e.g. America/New_York)' }).default('UTC'),
    timestampFormat: timestampFormatSchema.default('iso'),
    /** Per-field override of `timestampFormat`. */
    formats: z.partialRecord(z.enum(HISTORY_TIME_FIELDS), timestampFormatSchema).default({}),
    /** Time fields that are dates: the time of day (often 00:00) is ignored and the value means the end of that local day. */
    dateOnly: z.array(z.enum(HISTORY_TIME_FIELDS)).default([]),
    columns: z
      .partialRecord(z.enum(HISTORY_FIELDS), columnRefSchema)
      .refine((c) => c.createdAt !== undefined, { message: 'columns.createdAt is required' }),
    /**
     * Extra segment columns beyond category/priority/region, by name: one column (`"seller": "seller_id"`)
     * or a composite of several (`"route": ["seller_state", "customer_state"]`, its value the parts joined
     * with " → "). The recommender chooses which of all the levels carry information (forecast's
     * `selectLevels`, by the pinball loss of the target quantile on the history replay).
     */
    segments: z
      .record(z.string(), columnRefSchema)
      .superRefine((segments, ctx) => checkSegmentNames(Object.keys(segments), ctx))
      .default({}),
    /** Values of `status` that mean the case was cancelled (no promise outcome). */
    cancelledStatuses: z.array(z.string().max(200)).default([]),
    /** Values of `keptFlag` that mean the organization kept its own promise (when the data has a verdict but no due time). */
    keptValues: z.array(z.string().max(200)).default([]),
    /** Raw priority value → Kept priority (low, normal, high, urgent). Unmapped values import as `normal`. */
    priorityMap: z.record(z.string(), z.enum(['low', 'normal', 'high', 'urgent'])).default({}),
  })
  .strict();
export type HistoryMapping = z.infer<typeof historyMappingSchema>;
export type HistoryMappingInput = z.input<typeof historyMappingSchema>;
