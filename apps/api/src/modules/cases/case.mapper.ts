import type {
  CaseAssigneeResponse,
  CaseDetailResponse,
  CaseGapsResponse,
  CaseSummaryResponse,
  LedgerEntryResponse,
  MilestoneResponse,
  PauseResponse,
  PromiseVersionResponse,
} from '@kept/contracts';
import { BusinessCalendar, caseClock, computeGaps, Pause } from '@kept/domain';
import type { CaseEntity, CasePromiseEntity, LedgerEntryEntity, MilestoneEntity, PauseEntity } from './case.entity';
import type { CaseBundle } from './case.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The clock a case runs on ({@link caseClock}: its contract's calendar, else 24/7 in the site's zone, else 24/7 UTC). */
export function calendarOf(c: CaseEntity, bundle: CaseBundle): { calendar: BusinessCalendar; kind: CaseGapsResponse['calendar'] } {
  const contract = c.contractId ? bundle.contracts.get(c.contractId) : undefined;
  const site = c.siteId ? bundle.sites.get(c.siteId) : undefined;
  const clock = caseClock({
    contractCalendar: contract ? bundle.calendars.get(contract.calendarId)?.definition : null,
    siteZone: site?.timeZone,
  });
  return { calendar: clock.calendar, kind: clock.kind };
}

export const toDomainPauses = (pauses: PauseEntity[] = []): Pause[] =>
  pauses.map((p) => ({ from: p.startedAt, to: p.endedAt }));

export function toGaps(c: CaseEntity, bundle: CaseBundle, now: Date): CaseGapsResponse {
  const { calendar, kind } = calendarOf(c, bundle);
  const gaps = computeGaps(
    { openedAt: c.openedAt, requiredAt: c.requiredAt, expectedAt: c.expectedAt, promisedAt: c.promisedAt, satisfiedAt: c.satisfiedAt },
    now,
    calendar,
    toDomainPauses(bundle.pauses.get(c.id)),
  );
  return { ...gaps, calendar: kind };
}

/** The case's assignee with the case's team; a user RLS hides (cannot happen: same tenant) reads as unnamed. */
export function toAssignee(c: CaseEntity, bundle: CaseBundle): CaseAssigneeResponse | null {
  if (!c.assigneeId) return null;
  return { id: c.assigneeId, name: bundle.assignees.get(c.assigneeId)?.name ?? '', team: c.team };
}

export function toCaseSummary(c: CaseEntity, bundle: CaseBundle, now: Date): CaseSummaryResponse {
  const customer = bundle.customers.get(c.customerId);
  const site = c.siteId ? bundle.sites.get(c.siteId) : undefined;
  return {
    id: c.id,
    reference: `K-${c.number}`,
    customer: { id: c.customerId, name: customer?.name ?? '' },
    site: site ? { id: site.id, name: site.name, timeZone: site.timeZone } : null,
    assetId: c.assetId,
    contractId: c.contractId,
    category: c.category,
    priority: c.priority,
    summary: c.summary,
    stressLevel: c.stressLevel,
    status: c.status,
    pauseReason: c.pauseReason,
    openedAt: c.openedAt.toISOString(),
    requiredAt: iso(c.requiredAt),
    expectedAt: iso(c.expectedAt),
    promisedAt: iso(c.promisedAt),
    fixedAt: iso(c.fixedAt),
    satisfiedAt: iso(c.satisfiedAt),
    promiseVersion: c.promiseVersion,
    version: c.version,
    gaps: toGaps(c, bundle, now),
    assignee: toAssignee(c, bundle),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** A ledger entry; `users` names the users of `assignee` entries (a deleted or hidden one reads as unknown). */
export const toLedgerEntry = (e: LedgerEntryEntity, users: Map<string, string> = new Map()): LedgerEntryResponse => ({
  id: String(e.id),
  at: e.at.toISOString(),
  actor: { id: e.actorId, kind: e.actorKind, name: e.actorName },
  field: e.field,
  oldValue: e.oldValue,
  newValue: e.newValue,
  oldLabel: e.field === 'assignee' && e.oldValue ? (users.get(e.oldValue) ?? 'Unknown user') : null,
  newLabel: e.field === 'assignee' && e.newValue ? (users.get(e.newValue) ?? 'Unknown user') : null,
  reason: e.reason,
  expectationSource: e.expectationSource,
  customerAccepted: e.customerAccepted,
  promiseVersion: e.promiseVersion,
});

export const toMilestone = (m: MilestoneEntity): MilestoneResponse => ({
  id: m.id,
  kind: m.kind,
  at: m.at.toISOString(),
  actor: { id: m.actorId, name: m.actorName },
  note: m.note,
});

export const toPause = (p: PauseEntity): PauseResponse => ({
  id: p.id,
  from: p.startedAt.toISOString(),
  to: iso(p.endedAt),
  reason: p.reason,
});

export const toPromiseVersion = (p: CasePromiseEntity): PromiseVersionResponse => ({
  version: p.version,
  promisedAt: p.promisedAt.toISOString(),
  breakdown: p.breakdown,
  keepProbability: p.keepProbability ?? null,
  reason: p.reason,
  customerAccepted: p.customerAccepted,
  createdAt: p.createdAt.toISOString(),
});

export function toCaseDetail(
  c: CaseEntity,
  bundle: CaseBundle,
  history: { ledger: LedgerEntryEntity[]; milestones: MilestoneEntity[]; promises: CasePromiseEntity[]; users: Map<string, string> },
  now: Date,
): CaseDetailResponse {
  return {
    ...toCaseSummary(c, bundle, now),
    context: c.context,
    expectationSource: c.expectationSource,
    ledger: history.ledger.map((e) => toLedgerEntry(e, history.users)),
    milestones: history.milestones.map(toMilestone),
    pauses: (bundle.pauses.get(c.id) ?? []).map(toPause),
    promises: history.promises.map(toPromiseVersion),
  };
}
