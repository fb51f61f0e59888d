import { alwaysOpenCalendar } from '../time/calendar';
import type { BusinessCalendar } from '../time/types';
import { isValidTimeZone } from '../time/zone';

/**
 * The clock a case runs on.
 *
 * - `calendar`: what business time of the case is measured on (gaps, board, forecast, alerts with a
 *   business basis).
 * - `kind`: where it came from — the contract's calendar, 24/7 in the site's zone, or 24/7 UTC.
 * - `basis`: `'business'` on a contract calendar, else `'wall'` (a 24/7 calendar counts wall time).
 * - `zone`: the zone people read the case's times in (alert messages, My work).
 * - `wallCalendar`: 24/7 in `zone`, the clock of rules measured in wall time.
 */
export interface CaseClock {
  calendar: BusinessCalendar;
  kind: 'contract' | 'site' | 'always';
  basis: 'business' | 'wall';
  zone: string;
  wallCalendar: BusinessCalendar;
}

const usableZone = (zone: string | null | undefined): string | null =>
  typeof zone === 'string' && zone !== '' && isValidTimeZone(zone) ? zone : null;

/**
 * Which clock a case runs on — the one rule the API's mapper, forecast and alert planner share:
 *
 * 1. a contract with a calendar: that calendar (business time);
 * 2. else a site: 24/7 in the site's zone (wall time);
 * 3. else 24/7 UTC (wall time).
 *
 * The display zone is the site's zone, else the contract calendar's zone, else UTC. A missing, empty or
 * unknown site zone counts as no site zone (so a bad row never makes the case's arithmetic throw).
 * The contract calendar itself is taken as given (validated when it was stored).
 */
export function caseClock(input: { contractCalendar?: BusinessCalendar | null; siteZone?: string | null }): CaseClock {
  const site = usableZone(input.siteZone);
  const contract = input.contractCalendar ?? null;
  const zone = site ?? usableZone(contract?.timeZone) ?? 'UTC';
  const wallCalendar = alwaysOpenCalendar(zone);
  if (contract) return { calendar: contract, kind: 'contract', basis: 'business', zone, wallCalendar };
  if (site) return { calendar: wallCalendar, kind: 'site', basis: 'wall', zone, wallCalendar };
  return { calendar: wallCalendar, kind: 'always', basis: 'wall', zone, wallCalendar };
}
