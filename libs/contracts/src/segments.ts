import { z } from 'zod';

/**
 * A case's extra segment values (issue 16 item 2): queue, department, seller … by name, beyond the
 * built-in levels category, priority and region. One rule for the names, shared by the history mapping
 * (`segments`), case creation and the recommendation request.
 */
export const RESERVED_SEGMENT_NAMES = ['category', 'priority', 'region', 'customer', 'site'] as const;
export const SEGMENT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** The most segment names a mapping or a case may carry. */
export const MAX_SEGMENTS = 12;
/** The longest segment value (a composite such as "seller → customer state" included). */
export const MAX_SEGMENT_VALUE_LENGTH = 200;

/** Issues of a set of segment names (too many, malformed, a built-in level's name). */
export function checkSegmentNames(names: string[], ctx: z.RefinementCtx): void {
  if (names.length > MAX_SEGMENTS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_SEGMENTS} segments (${names.length} named)` });
  for (const name of names) {
    if (!SEGMENT_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'a segment name is lower-case letters, digits and _ (e.g. seller, route)' });
    else if ((RESERVED_SEGMENT_NAMES as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is a level already (category, priority, region, customer, site): name the extra segment differently' });
  }
}

/** `{ "queue": "PWDx_District 1C", "department": "PWDx" }`: string values by segment name. */
export const caseSegmentsSchema = z
  .record(z.string(), z.string().trim().min(1).max(MAX_SEGMENT_VALUE_LENGTH))
  .superRefine((segments, ctx) => checkSegmentNames(Object.keys(segments), ctx));
export type CaseSegments = z.infer<typeof caseSegmentsSchema>;
