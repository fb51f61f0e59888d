/** A keyset position: the sort instant and the id that breaks ties. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque `nextCursor` of a page sorted by (instant, id). */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([new Date(position.at).toISOString(), position.id])).toString('base64url');
}

/**
 * Reads back only what encodeKeysetCursor writes — an ISO instant PostgreSQL can hold and a real uuid
 * (anything else would become a 500 in the query) — or null; the caller answers with its own problem.
 */
export function decodeKeysetCursor(raw: string): KeysetPosition | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const date = new Date(at);
    const year = date.getUTCFullYear();
    if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id) || Number.isNaN(year) || year < 1 || year > 9999) {
      return null;
    }
    return { at: date, id };
  } catch {
    return null;
  }
}
