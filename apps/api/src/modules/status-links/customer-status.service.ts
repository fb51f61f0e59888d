import { Injectable } from '@nestjs/common';
import type {
  AnswerProposalRequest,
  CaseFeedback,
  CreateProposalRequest,
  PromiseProposal,
  PublicCaseStatus,
  ReportNotFixedRequest,
  SurveyRequest,
} from '@kept/contracts';
import { STATUS_TOKEN_PATTERN } from '@kept/contracts';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/problem/app.exception';
import { CustomerAlerts } from '../alerts';
import { CaseService } from '../cases';
import { CustomerStatusRepository, LinkScope, ProposalRow } from './customer-status.repository';
import { toProposal, toPublicStatusDetail, toSurvey, SURVEY_CHANGE_MS } from './customer-status.mapper';
import { actionConflict, StatusLinkException, StatusLinkExceptionCode, statusLinkNotFound } from './status-link.exception';
import { hashToken } from './status-links.service';

/** The customer acting through her link: the ledger's actor (`customer`, the link's id). */
export const customerPrincipal = (scope: LinkScope): Principal => ({
  kind: 'customer',
  id: scope.link_id,
  tenantId: scope.tenant_id,
  role: 'viewer',
  name: 'Customer',
});

/**
 * What the customer sees and does on her status page, and the dispatcher's side of it (proposals, her
 * survey). Public calls first resolve the link's scope (outside any tenant), then run in its tenant; every
 * change to the case goes through the cases module's life cycle, so the ledger, alerts and live streams
 * follow as for staff.
 */
@Injectable()
export class CustomerStatusService {
  constructor(
    private readonly repo: CustomerStatusRepository,
    private readonly cases: CaseService,
    private readonly alerts: CustomerAlerts,
    private readonly clock: Clock,
  ) {}

  /** The link's scope; unknown, malformed, revoked and expired tokens all get the same 404. */
  async scope(token: string, recordView: boolean): Promise<LinkScope> {
    if (!STATUS_TOKEN_PATTERN.test(token)) throw statusLinkNotFound();
    const scope = await this.repo.scopeOf(hashToken(token), recordView);
    if (!scope) throw statusLinkNotFound();
    return scope;
  }

  /** In the link's tenant: the page's data. */
  async view(scope: LinkScope): Promise<PublicCaseStatus> {
    const row = await this.repo.publicCase(scope.case_id);
    if (!row) throw statusLinkNotFound();
    // One connection (the tenant transaction): one query after the other.
    const history = await this.repo.promiseHistory(scope.case_id);
    const proposal = await this.repo.pendingProposal(scope.case_id);
    const survey = await this.repo.survey(scope.case_id);
    return toPublicStatusDetail(row, history, proposal, survey, this.clock.now());
  }

  async acceptProposal(scope: LinkScope, body: AnswerProposalRequest): Promise<PublicCaseStatus> {
    const proposal = await this.pendingOf(scope, body.proposalId);
    const c = await this.caseOf(scope);
    await this.cases.repromise(
      scope.case_id,
      {
        promisedAt: proposal.promised_at.toISOString(),
        reason: body.note ? `${proposal.reason} (the customer: ${body.note})` : proposal.reason,
        customerAccepted: 'yes',
        promiseBreakdown: proposal.breakdown ?? undefined,
      },
      { version: c.version, source: 'body' },
      customerPrincipal(scope),
    );
    await this.repo.answerProposal(proposal.id, 'accepted', this.clock.now(), body.note ?? null);
    return this.view(scope);
  }

  async declineProposal(scope: LinkScope, body: AnswerProposalRequest): Promise<PublicCaseStatus> {
    const proposal = await this.pendingOf(scope, body.proposalId);
    const c = await this.caseOf(scope);
    await this.cases.recordInLedger(
      scope.case_id,
      {
        field: 'proposal',
        oldValue: c.promised_at?.toISOString() ?? null,
        newValue: proposal.promised_at.toISOString(),
        reason: body.note ? `Declined: ${body.note}` : 'Declined by the customer',
        customerAccepted: 'no',
      },
      { version: c.version, source: 'body' },
      customerPrincipal(scope),
    );
    await this.repo.answerProposal(proposal.id, 'declined', this.clock.now(), body.note ?? null);
    await this.alerts.raise(
      scope.case_id,
      'proposal_declined',
      `The customer declined the proposed promise${body.note ? `: “${body.note}”` : ''}; the current promise stands`,
    );
    return this.view(scope);
  }

  /** She confirms she is satisfied: only after the engineer's fix (status fixed). */
  async confirmSatisfied(scope: LinkScope): Promise<PublicCaseStatus> {
    const c = await this.caseOf(scope);
    if (c.status !== 'fixed') throw actionConflict(`The case is ${c.status}; it can be confirmed once it is fixed`);
    await this.repo.addCustomerMilestone(scope.case_id, scope.link_id, this.clock.now());
    await this.cases.markSatisfied(
      scope.case_id,
      { reason: 'Confirmed by the customer' },
      { version: c.version, source: 'body' },
      customerPrincipal(scope),
    );
    return this.view(scope);
  }

  /** She says it is not fixed: the case opens again and the dispatcher is alerted. */
  async reportNotFixed(scope: LinkScope, body: ReportNotFixedRequest): Promise<PublicCaseStatus> {
    const c = await this.caseOf(scope);
    if (c.status !== 'fixed') throw actionConflict(`The case is ${c.status}; only a fixed case can be reported as not fixed`);
    const reason = body.comment ? `Not fixed, says the customer: ${body.comment}` : 'Not fixed, says the customer';
    await this.cases.reopen(scope.case_id, { reason }, { version: c.version, source: 'body' }, customerPrincipal(scope));
    await this.alerts.raise(scope.case_id, 'not_fixed', `The customer says it is not fixed${body.comment ? `: “${body.comment}”` : ''}; the case is open again`);
    return this.view(scope);
  }

  /** Her survey: once the work is done (fixed or satisfied); changeable for 24 h after the first answer. */
  async answerSurvey(scope: LinkScope, body: SurveyRequest): Promise<PublicCaseStatus> {
    const c = await this.caseOf(scope);
    if (c.status !== 'fixed' && c.status !== 'satisfied') {
      throw actionConflict(`The case is ${c.status}; the survey opens once the work is done`);
    }
    const now = this.clock.now();
    const before = await this.repo.survey(scope.case_id, true);
    if (before && now.getTime() > before.answered_at.getTime() + SURVEY_CHANGE_MS) {
      throw actionConflict('The survey was answered more than 24 hours ago; it can no longer be changed');
    }
    const comment = body.comment ? body.comment : null;
    await this.repo.saveSurvey(scope.case_id, { csat: body.csat, stress: body.stress, comment }, now);
    const summary = (s: { csat: number; stress: number }) => `CSAT ${s.csat}/5, stress ${s.stress}/5`;
    await this.cases.recordInLedger(
      scope.case_id,
      { field: 'survey', oldValue: before ? summary(before) : null, newValue: summary(body), reason: comment },
      { version: c.version, source: 'body' },
      customerPrincipal(scope),
    );
    return this.view(scope);
  }

  // --- staff -----------------------------------------------------------------------------------------

  /** A dispatcher proposes a new promise to the customer; a pending one is withdrawn. */
  async propose(caseId: string, body: CreateProposalRequest, principal: Principal): Promise<PromiseProposal> {
    const c = await this.repo.caseState(caseId);
    if (!c) throw notFound('Case', caseId);
    if (c.status === 'satisfied' || c.status === 'cancelled') throw actionConflict(`The case is ${c.status}; no new promise can be proposed`);
    const now = this.clock.now();
    await this.repo.withdrawPending(caseId, now);
    const row = await this.repo.insertProposal({
      caseId,
      promisedAt: new Date(body.promisedAt),
      breakdown: body.promiseBreakdown ?? null,
      reason: body.reason,
      createdBy: userIdOf(principal),
      at: now,
    });
    await this.cases.recordInLedger(
      caseId,
      { field: 'proposal', oldValue: c.promised_at?.toISOString() ?? null, newValue: row.promised_at.toISOString(), reason: body.reason, customerAccepted: null },
      { version: c.version, source: 'body' },
      principal,
    );
    return toProposal(row);
  }

  async feedback(caseId: string): Promise<CaseFeedback> {
    const c = await this.repo.caseState(caseId);
    if (!c) throw notFound('Case', caseId);
    const survey = await this.repo.survey(caseId);
    const proposals = await this.repo.proposals(caseId);
    return { survey: survey ? toSurvey(survey) : null, proposals: proposals.map(toProposal) };
  }

  private async pendingOf(scope: LinkScope, proposalId: string): Promise<ProposalRow> {
    const proposal = await this.repo.lockProposal(scope.case_id, proposalId);
    if (!proposal) throw new StatusLinkException(StatusLinkExceptionCode.PROPOSAL_NOT_FOUND);
    if (proposal.state !== 'pending') throw actionConflict(`The proposal was already ${proposal.state}`);
    return proposal;
  }

  private async caseOf(scope: LinkScope) {
    const c = await this.repo.caseState(scope.case_id);
    if (!c) throw statusLinkNotFound();
    return c;
  }
}
