import { BOARD_RANK_CLASSES } from '@kept/domain';

/**
 * A position on the board: the first page's `now` (every page classifies at the same instant, so a case
 * cannot move between pages while one pages through), and the last item's sort key — board rank
 * (index in the domain's BOARD_RANK_CLASSES), earliest deadline (null: none, after every dated case) and id.
 *
 * The deadline is kept in microseconds since the epoch (a decimal string): PostgreSQL's precision, so a
 * tie on a deadline a JavaScript Date would round cannot repeat or skip a case.
 */
export interface BoardPosition {
  now: Date;
  rank: number;
  /** Microseconds since the epoch, as decimal digits; null: no deadline. */
  deadline: string | null;
  id: string;
}

const MICROS = /^-?\d{1,17}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque `nextCursor` of a board page. */
export function encodeBoardCursor(p: BoardPosition): string {
  return Buffer.from(JSON.stringify([p.now.toISOString(), p.rank, p.deadline, p.id])).toString('base64url');
}

const instant = (value: unknown): Date | null => {
  if (typeof value !== 'string') return null;
  const d = new Date(value);
  const year = d.getUTCFullYear();
  return Number.isNaN(year) || year < 1 || year > 9999 ? null : d;
};

/** Reads back only what encodeBoardCursor writes, or null (the caller answers with a problem). */
export function decodeBoardCursor(raw: string): BoardPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4) return null;
    const [nowText, rank, deadlineText, id] = value as unknown[];
    const now = instant(nowText);
    const deadline = deadlineText === null ? null : typeof deadlineText === 'string' && MICROS.test(deadlineText) ? deadlineText : undefined;
    if (!now || deadline === undefined) return null;
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank >= BOARD_RANK_CLASSES.length) return null;
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    return { now, rank, deadline, id };
  } catch {
    return null;
  }
}
