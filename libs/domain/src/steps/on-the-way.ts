/**
 * What the customer learns of the engineer on the way: one rule for her status page and her e-mails.
 * The `engineer_eta` milestone carries the ETA in its note as an ISO instant (`ETA 2026-12-01T10:30:00Z`).
 */
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/;

/** The ETA an `engineer_eta` milestone's note carries (as a canonical ISO string), or null. */
export function etaOf(note: string | null): string | null {
  const match = note ? ISO_INSTANT.exec(note) : null;
  if (!match) return null;
  const at = new Date(match[0]);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** Only the engineer's first name reaches the customer. */
export const firstNameOf = (name: string | null): string | null => name?.trim().split(/\s+/)[0] || null;
