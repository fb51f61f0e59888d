import type { CaseDetailResponse } from '@kept/contracts';
import { createCaseSummary } from './case-summary.factory';

/** A case as `GET /cases/:id` returns it. */
export function createCaseDetail(overrides: Partial<CaseDetailResponse> = {}): CaseDetailResponse {
  const summary = createCaseSummary({
    site: { id: '22222222-2222-4222-8222-222222222222', name: 'Main lab', timeZone: 'America/New_York' },
    requiredAt: '2026-11-23T16:00:00Z',
    promisedAt: '2026-11-23T15:00:00Z',
  });
  return {
    ...summary,
    context: 'Five samples before the doctor calls at 4 pm.',
    expectationSource: null,
    ledger: [
      {
        id: '1',
        at: '2026-11-23T08:00:00Z',
        actor: { id: 'u-1', kind: 'user', name: 'Dana Dispatcher' },
        field: 'promisedAt',
        oldValue: null,
        newValue: '2026-11-23T15:00:00Z',
        oldLabel: null,
        newLabel: null,
        reason: 'Case opened',
        expectationSource: null,
        customerAccepted: 'yes',
        promiseVersion: 1,
      },
    ],
    milestones: [
      {
        id: 'm-1',
        kind: 'dispatched',
        at: '2026-11-23T08:05:00Z',
        actor: { id: 'u-1', name: 'Dana Dispatcher' },
        note: 'Assigned to Erik Engineer [33333333-3333-4333-8333-333333333333]: promised by 3 pm',
      },
    ],
    pauses: [],
    promises: [
      { version: 1, promisedAt: '2026-11-23T15:00:00Z', breakdown: { arrivalMinutes: 60, diagnosisMinutes: 30, fixMinutes: 60, testMinutes: 30 }, keepProbability: 0.9, reason: 'First promise', customerAccepted: 'yes', createdAt: '2026-11-23T08:00:00Z' },
    ],
    ...overrides,
  };
}
