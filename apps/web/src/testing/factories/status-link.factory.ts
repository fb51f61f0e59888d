import type { PublicCaseStatus, StatusLink } from '@kept/contracts';

export function createStatusLink(overrides: Partial<StatusLink> = {}): StatusLink {
  return {
    id: '7d5a4c1e-2b3f-4a6d-8e9f-0a1b2c3d4e5f',
    createdAt: '2026-11-23T10:00:00Z',
    expiresAt: '2026-12-23T10:00:00Z',
    revokedAt: null,
    lastViewedAt: null,
    viewCount: 0,
    ...overrides,
  };
}

export function createPublicStatus(overrides: Partial<PublicCaseStatus> = {}): PublicCaseStatus {
  return {
    reference: 'K-1042',
    summary: 'Analyser shows error 42',
    status: 'open',
    openedAt: '2026-11-23T08:00:00Z',
    requiredAt: '2026-11-23T17:00:00Z',
    context: 'Five samples before the doctor calls patients at 4',
    promisedAt: '2026-11-23T15:00:00Z',
    promise: {
      promisedAt: '2026-11-23T15:00:00Z',
      version: 1,
      breakdown: { arrivalMinutes: 120, diagnosisMinutes: 60, fixMinutes: 120, testMinutes: 30 },
    },
    currentStep: 'arrival',
    engineer: { firstName: 'Erik', onTheWay: false, eta: null },
    history: [{ at: '2026-11-23T08:05:00Z', from: null, to: '2026-11-23T15:00:00Z', reason: null, customerAccepted: null, kind: 'promise' }],
    proposal: null,
    survey: null,
    fixedAt: null,
    satisfiedAt: null,
    timeZone: 'America/New_York',
    organization: 'Demo Field Service',
    branding: { accentColor: null, logoUrl: null },
    language: 'en',
    actions: { answerProposal: false, confirmSatisfied: false, reportNotFixed: false, answerSurvey: false },
    ...overrides,
  };
}
