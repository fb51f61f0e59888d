import type { CaseSurvey, PromiseProposal, PublicCaseStatus } from '@kept/contracts';
import { currentStep, etaOf, firstNameOf } from '@kept/domain';
import type { PromiseChangeRow, ProposalRow, PublicCaseRow, SurveyRow } from './customer-status.repository';

/** The survey can be changed for 24 hours after the first answer. */
export const SURVEY_CHANGE_MS = 24 * 3_600_000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toProposal = (r: ProposalRow): PromiseProposal => ({
  id: r.id,
  caseId: r.case_id,
  promisedAt: r.promised_at.toISOString(),
  breakdown: r.breakdown,
  reason: r.reason,
  state: r.state,
  createdAt: r.created_at.toISOString(),
  answeredAt: iso(r.answered_at),
  answerNote: r.answer_note,
});

export const toSurvey = (r: SurveyRow): CaseSurvey => ({
  csat: r.csat,
  stress: r.stress,
  comment: r.comment,
  answeredAt: r.answered_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export function toPublicStatusDetail(
  r: PublicCaseRow,
  history: PromiseChangeRow[],
  proposal: ProposalRow | null,
  survey: SurveyRow | null,
  now: Date,
): PublicCaseStatus {
  const done = r.status === 'fixed' || r.status === 'satisfied';
  const working = r.status === 'open' || r.status === 'paused';
  const arrived = r.reached.includes('arrived');
  const onTheWay = working && !arrived && (r.reached.includes('engineer_eta') || r.reached.includes('dispatched'));
  const firstName = firstNameOf(r.engineer_name);
  const surveyOpen = done && (!survey || now.getTime() <= survey.answered_at.getTime() + SURVEY_CHANGE_MS);
  return {
    reference: r.reference,
    summary: r.summary,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    requiredAt: iso(r.required_at),
    context: r.context,
    promisedAt: iso(r.promised_at),
    promise: r.promised_at ? { promisedAt: r.promised_at.toISOString(), version: r.promise_version, breakdown: r.breakdown } : null,
    currentStep: working && r.promised_at ? currentStep(r.reached) : null,
    engineer: firstName ? { firstName, onTheWay, eta: onTheWay ? etaOf(r.on_way_note) : null } : null,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      from: h.old_value,
      to: h.new_value,
      reason: h.reason,
      customerAccepted: h.customer_accepted,
      kind: h.field === 'proposal' ? 'declined' : 'promise',
    })),
    proposal:
      proposal && working
        ? { id: proposal.id, promisedAt: proposal.promised_at.toISOString(), breakdown: proposal.breakdown, reason: proposal.reason, createdAt: proposal.created_at.toISOString() }
        : null,
    survey: survey
      ? {
          csat: survey.csat,
          stress: survey.stress,
          comment: survey.comment,
          answeredAt: survey.answered_at.toISOString(),
          changeableUntil: new Date(survey.answered_at.getTime() + SURVEY_CHANGE_MS).toISOString(),
        }
      : null,
    fixedAt: iso(r.fixed_at),
    satisfiedAt: iso(r.satisfied_at),
    timeZone: r.time_zone,
    organization: r.organization,
    branding: { accentColor: r.brand_accent, logoUrl: r.brand_logo_url },
    language: r.language,
    actions: {
      answerProposal: Boolean(proposal) && working,
      confirmSatisfied: r.status === 'fixed',
      reportNotFixed: r.status === 'fixed',
      answerSurvey: surveyOpen,
    },
  };
}
