import type { Principal } from '../../common/auth/principal';
import type { LedgerEntryEntity } from './case.entity';
import { ForecastService, type OpenCaseInput } from '../forecast';

// What the create and the changes of a case share: the shape of a ledger entry before it is written,
// who wrote it, and the keep-probability a new promise is stored with.

/** A ledger entry as a use case drafts it (the repository adds the id and the tenant). */
export type LedgerDraft = Omit<Partial<LedgerEntryEntity>, 'id' | 'tenantId'>;

/** The actor columns of a ledger entry written by `principal` at `now`. */
export function actorOf(principal: Principal, now: Date) {
  return { at: now, actorKind: principal.kind, actorId: principal.id, actorName: principal.name } as const;
}

/**
 * The keep-probability a promise of the case at `promisedAt` is stored with: the forecast's, given the
 * case is still open at `now` (ForecastService.keepProbabilities, the board's own figure), rounded to
 * 0.001. Null when the forecast has no data, the case is fixed, or the forecast fails (a promise is
 * never refused for want of a figure).
 */
export async function storedKeepProbability(forecast: ForecastService, c: OpenCaseInput, promisedAt: Date, now: Date): Promise<number | null> {
  try {
    const p = (await forecast.keepProbabilities([{ ...c, promisedAt }], now)).get(c.id) ?? null;
    return p === null ? null : Math.round(p * 1000) / 1000;
  } catch {
    return null;
  }
}
