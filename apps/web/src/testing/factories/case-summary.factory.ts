import type { CaseGapsResponse, CaseSummaryResponse, Page } from '@kept/contracts';

let sequence = 1000;

const noGaps: CaseGapsResponse = {
  promisedMinusRequired: null,
  promisedMinusExpected: null,
  satisfiedMinusPromised: null,
  satisfiedMinusRequired: null,
  promise: null,
  need: null,
  calendar: 'always',
};

/** A case as `GET /cases` returns it; override what the test is about. */
export function createCaseSummary(
  overrides: Partial<Omit<CaseSummaryResponse, 'gaps'>> & { gaps?: Partial<CaseGapsResponse> } = {},
): CaseSummaryResponse {
  sequence += 1;
  const { gaps, ...rest } = overrides;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    reference: `K-${sequence}`,
    customer: { id: '11111111-1111-4111-8111-111111111111', name: 'Northside Clinical Lab' },
    site: { id: '22222222-2222-4222-8222-222222222222', name: 'Main lab', timeZone: 'Europe/Berlin' },
    assetId: null,
    contractId: null,
    category: 'analyzer',
    priority: 'normal',
    summary: 'Hematology analyzer shows error E-42',
    stressLevel: 3,
    status: 'open',
    pauseReason: null,
    openedAt: '2026-11-23T08:00:00Z',
    requiredAt: '2026-11-23T16:00:00Z',
    expectedAt: null,
    promisedAt: '2026-11-23T15:00:00Z',
    fixedAt: null,
    satisfiedAt: null,
    promiseVersion: 1,
    version: 1,
    assignee: null,
    createdAt: '2026-11-23T08:00:00Z',
    updatedAt: '2026-11-23T08:00:00Z',
    ...rest,
    gaps: { ...noGaps, promise: 'open', promisedMinusRequired: { wallMinutes: -60, businessMinutes: -60 }, ...gaps },
  };
}

export function createCasePage(
  items: CaseSummaryResponse[],
  nextCursor: string | null = null,
): Page<CaseSummaryResponse> {
  return { items, nextCursor };
}
