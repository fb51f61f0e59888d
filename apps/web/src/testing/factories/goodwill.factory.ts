import { DEFAULT_GOODWILL_SETTINGS, type GoodwillOffer, type GoodwillSettingsResponse } from '@kept/contracts';

let sequence = 0;

/** A goodwill offer as `GET /goodwill/approvals` and `GET /cases/:id/goodwill` return it: 300.00 EUR waiting for approval. */
export function createGoodwillOffer(overrides: Partial<GoodwillOffer> = {}): GoodwillOffer {
  sequence += 1;
  return {
    id: `66666666-6666-4666-8666-${String(sequence).padStart(12, '0')}`,
    caseId: '00000000-0000-4000-8000-000000000001',
    kind: 'credit',
    money: true,
    valueMinor: 300_00,
    currency: 'EUR',
    team: 'North',
    reason: 'Need missed by 4 hours',
    gap: { target: 'required', minutes: 240 },
    stressLevel: 5,
    offeredBy: 'u-offerer',
    offeredByName: 'Dana Dispatcher',
    offeredAt: '2026-11-23T12:00:00Z',
    state: 'approval_requested',
    needsApprovalBecause: 'above_limit',
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    customerResponse: null,
    events: [{ event: 'approval_requested', by: 'u-offerer', byName: 'Dana Dispatcher', at: '2026-11-23T12:00:00Z', note: null }],
    ...overrides,
  };
}

/** The tenant's goodwill settings as `GET /goodwill/settings` returns them (the defaults: manager 500.00, dispatcher 200.00). */
export function createGoodwillSettings(overrides: Partial<GoodwillSettingsResponse> = {}): GoodwillSettingsResponse {
  return { ...DEFAULT_GOODWILL_SETTINGS, version: 3, ...overrides };
}
