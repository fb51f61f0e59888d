import type { Budget, CaseOptionsRecord, GoodwillEvent, GoodwillOffer, GoodwillSettings, GoodwillSettingsResponse } from '@kept/contracts';

export interface SettingsRow {
  currency: string;
  limits: GoodwillSettings['limits'];
  ladder: string[];
  kinds: GoodwillSettings['kinds'];
  options: string[];
  version: number;
}

export interface OfferRow {
  id: string;
  case_id: string;
  kind: string;
  money: boolean;
  value_minor: string;
  currency: string;
  team: string | null;
  reason: string;
  gap_target: 'promised' | 'required' | null;
  gap_minutes: number | null;
  stress_level: number | null;
  offered_by: string | null;
  offered_by_name: string | null;
  offered_at: Date;
  state: GoodwillOffer['state'];
  needs_approval_because: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  customer_response: 'accepted' | 'declined' | null;
  events: { event: GoodwillEvent['event']; by: string | null; by_name: string | null; at: string; note: string | null }[] | null;
}

export interface BudgetRow {
  team: string;
  month: string;
  amount_minor: string;
  currency: string;
  spent_minor: string;
}

export interface OptionsRow {
  id: string;
  case_id: string;
  offered: string[];
  chosen: string | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toSettings = (r: SettingsRow): GoodwillSettingsResponse => ({
  currency: r.currency,
  limits: r.limits,
  ladder: r.ladder.map(Number),
  kinds: r.kinds,
  options: r.options,
  version: r.version,
});

export const toOffer = (r: OfferRow): GoodwillOffer => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  money: r.money,
  valueMinor: Number(r.value_minor),
  currency: r.currency,
  team: r.team,
  reason: r.reason,
  gap: r.gap_target && r.gap_minutes !== null ? { target: r.gap_target, minutes: r.gap_minutes } : null,
  stressLevel: r.stress_level,
  offeredBy: r.offered_by,
  offeredByName: r.offered_by_name,
  offeredAt: r.offered_at.toISOString(),
  state: r.state,
  needsApprovalBecause: r.needs_approval_because,
  decidedBy: r.decided_by,
  decidedByName: r.decided_by_name,
  decidedAt: iso(r.decided_at),
  customerResponse: r.customer_response,
  events: (r.events ?? []).map((e) => ({ event: e.event, by: e.by, byName: e.by_name, at: new Date(e.at).toISOString(), note: e.note })),
});

export const toBudget = (r: BudgetRow): Budget => {
  const amountMinor = Number(r.amount_minor);
  const spentMinor = Number(r.spent_minor);
  return { team: r.team, month: r.month.slice(0, 7), amountMinor, currency: r.currency, spentMinor, leftMinor: amountMinor - spentMinor };
};

export const toOptions = (r: OptionsRow): CaseOptionsRecord => ({
  id: r.id,
  caseId: r.case_id,
  offered: r.offered,
  chosen: r.chosen,
  note: r.note,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(),
});
