import type { BoardItemResponse, BoardResponse } from '@kept/contracts';
import { createCaseSummary } from './case-summary.factory';

/** An open case as `GET /board` returns it; override what the test is about. */
export function createBoardItem(overrides: Partial<BoardItemResponse> = {}): BoardItemResponse {
  const summary = createCaseSummary();
  return {
    ...summary,
    businessMinutesToPromise: 180,
    businessMinutesToNeed: 240,
    promiseWindowUsed: 0.4,
    keepProbability: null,
    atRisk: false,
    riskReasons: [],
    riskScore: 180,
    ...overrides,
  };
}

export function createBoard(items: BoardItemResponse[], overrides: Partial<BoardResponse> = {}): BoardResponse {
  return {
    now: '2026-11-23T12:00:00Z',
    items,
    facets: {
      categories: ['analyzer', 'calibration'],
      customers: [{ id: '11111111-1111-4111-8111-111111111111', name: 'Northside Clinical Lab' }],
      engineers: [{ id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', team: 'Field team North' }],
      teams: ['Field team North'],
    },
    ...overrides,
  };
}
