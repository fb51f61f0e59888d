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
    riskClass: 'on_track',
    ...overrides,
  };
}

export function createBoard(items: BoardItemResponse[], overrides: Partial<BoardResponse> = {}): BoardResponse {
  return {
    now: '2026-11-23T12:00:00Z',
    items,
    nextCursor: null,
    counts: {
      missed: items.filter((i) => i.riskClass === 'missed').length,
      atRisk: items.filter((i) => i.riskClass === 'at_risk').length,
      onTrack: items.filter((i) => i.riskClass === 'on_track').length,
      fixed: items.filter((i) => i.riskClass === 'fixed').length,
      total: items.length,
    },
    order: 'Missed first, then at risk, on track and fixed; within each, the earliest deadline first.',
    facets: {
      categories: ['analyzer', 'calibration'],
      customers: [{ id: '11111111-1111-4111-8111-111111111111', name: 'Northside Clinical Lab' }],
      engineers: [{ id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', team: 'Field team North' }],
      teams: ['Field team North'],
    },
    ...overrides,
  };
}
