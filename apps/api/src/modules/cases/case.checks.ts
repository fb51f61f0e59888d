import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/http/keyset-cursor';
import type { FieldError } from '../../common/problem/app.exception';
import { CaseException, CaseExceptionCode } from './case.exception';
import type { AssigneeRow, ListCursor } from './case.repository';

// The case service's checks and limits, as pure functions (no data access): times, assignees, cursors.

/** Times a client may send may lie at most this far ahead of the server's clock (skew). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/**
 * The domain measures business time over at most ~100 years (RangeError beyond): the opening lies at
 * most 50 years back and every time at most 50 years after the opening, so every gap stays measurable.
 */
export const MAX_SPAN_MS = 50 * 365 * 86_400_000;
const BEYOND_SPAN = 'must not be more than 50 years after the case was opened';
/**
 * Who may be assigned a case: an active engineer of the tenant. Dispatchers and managers coordinate
 * work rather than do it, and the board's engineer filter, My work and the engineers' availability
 * all list engineers, so an assignment to anyone else would vanish from those views.
 */
export const isAssignable = (u: AssigneeRow | undefined): u is AssigneeRow => Boolean(u && u.active && u.role === 'engineer');
export const NOT_ASSIGNABLE = 'unknown user, or not an active engineer of this organization';

/**
 * The four times of a case lie after its opening and at most MAX_SPAN after it (so every gap stays
 * measurable); 422 with one error per offending field otherwise.
 */
export function assertAfterOpening(openedAt: Date, times: Record<string, Date | null>, detail?: string): void {
  const errors: FieldError[] = Object.entries(times).flatMap(([path, t]) => {
    if (t && t.getTime() < openedAt.getTime()) return [{ path, message: 'must not be before the case was opened' }];
    if (t && t.getTime() > openedAt.getTime() + MAX_SPAN_MS) return [{ path, message: BEYOND_SPAN }];
    return [];
  });
  if (errors.length) {
    throw new CaseException(CaseExceptionCode.INVALID_TIMES, detail ?? `${errors[0].path} ${errors[0].message}`, errors);
  }
}

export const notFoundCase = (id: string) => new CaseException(CaseExceptionCode.CASE_NOT_FOUND, `Case ${id} does not exist`);

export const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export function encodeCursor(c: ListCursor): string {
  return encodeKeysetCursor({ at: c.openedAt, id: c.id });
}

export function decodeCursor(raw: string): ListCursor {
  const position = decodeKeysetCursor(raw);
  if (!position) {
    throw new CaseException(CaseExceptionCode.INVALID_CURSOR, 'Use the nextCursor value of a previous page as it was returned');
  }
  return { openedAt: position.at, id: position.id };
}
