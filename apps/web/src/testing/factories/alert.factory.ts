import type { AlertResponse } from '@kept/contracts';

let sequence = 0;

/** An alert as `GET /alerts` returns it. */
export function createAlert(overrides: Partial<AlertResponse> = {}): AlertResponse {
  sequence += 1;
  return {
    id: `aaaaaaaa-aaaa-4aaa-8aaa-${String(sequence).padStart(12, '0')}`,
    caseId: '00000000-0000-4000-8000-000000000001',
    caseReference: 'K-1001',
    caseSummary: 'Analyzer shows error E-42',
    caseAssignee: null,
    policyId: 'pppppppp',
    ruleKey: 'fraction:0.75',
    ruleKind: 'fraction',
    target: 'promised',
    severity: 'high',
    targetVersion: 1,
    dueAt: '2026-11-23T14:00:00Z',
    firedAt: '2026-11-23T12:00:00Z',
    lastFiredAt: null,
    repeatCount: 0,
    state: 'fired',
    acknowledgedBy: null,
    acknowledgedAt: null,
    snoozedUntil: null,
    message: '75 % of the promise window used; 1 h left',
    createdAt: '2026-11-23T12:00:00Z',
    ...overrides,
  };
}
