import { Injectable } from '@nestjs/common';
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  type AcceptRepromiseRequest,
  type AttachmentContentType,
  type AttachmentList,
  type AttachmentResponse,
  type CaseDetailResponse,
  type CreateRepromiseRequest,
  type DeclineRepromiseRequest,
  type RepromiseRequestList,
  type RepromiseRequestResponse,
  type UploadAttachmentQuery,
} from '@kept/contracts';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import type { ExpectedVersion } from '../../common/http/concurrency';
import { AlertRaiser } from '../alerts';
import { CaseService } from '../cases';
import { attachmentTooLarge, FieldException, FieldExceptionCode, unsupportedType } from './field.exception';
import { toAttachment, toRepromiseRequest } from './field.mapper';
import { FieldRepository } from './field.repository';
import { sameKind, sniffContentType } from './file-type';

const CLOSED = new Set(['satisfied', 'cancelled']);

/** The engineer in the field: asking for a re-promise (answered by a dispatcher) and notes with photos or PDFs. */
@Injectable()
export class FieldService {
  constructor(
    private readonly repo: FieldRepository,
    private readonly cases: CaseService,
    private readonly alerts: AlertRaiser,
    private readonly clock: Clock,
  ) {}

  /** One open request per case; the dispatcher hears of it at once in the inbox (an alert of kind `request`). */
  async requestRepromise(caseId: string, input: CreateRepromiseRequest, principal: Principal): Promise<RepromiseRequestResponse> {
    const c = await this.cases.get(caseId);
    if (CLOSED.has(c.status)) throw new FieldException(FieldExceptionCode.CASE_CLOSED, `Case ${c.reference} is ${c.status}: nothing to re-promise`);
    const now = this.clock.now();
    const proposedAt = new Date(input.proposedAt);
    if (proposedAt.getTime() <= now.getTime()) {
      throw new FieldException(FieldExceptionCode.INVALID_PROPOSAL, 'Propose a time that is still ahead', [
        { path: 'proposedAt', message: 'must be in the future' },
      ]);
    }
    const row = await this.repo.insertRequest({
      caseId,
      requestedBy: userIdOf(principal),
      requestedByName: principal.name,
      requestedAt: now,
      proposedAt,
      reason: input.reason,
      promisedAtRequest: c.promisedAt ? new Date(c.promisedAt) : null,
    });
    if (!row) {
      throw new FieldException(
        FieldExceptionCode.REPROMISE_REQUEST_ALREADY_OPEN,
        `Case ${c.reference} already has an open re-promise request; the dispatcher answers it first`,
      );
    }
    const alert = await this.alerts.raise({
      caseId,
      ruleKey: `repromise-request:${row.id}`,
      severity: 'high',
      message: `${c.reference} ${c.summary}: ${principal.name} asks to re-promise for ${proposedAt.toISOString()} — “${input.reason}”`,
    });
    return toRepromiseRequest(await this.repo.setAlert(row.id, alert.id));
  }

  async repromiseRequests(caseId: string): Promise<RepromiseRequestList> {
    await this.cases.get(caseId);
    return { items: (await this.repo.requestsOfCase(caseId)).map(toRepromiseRequest) };
  }

  /**
   * Accepting makes the existing re-promise (a new promise version and its ledger entry, alerts re-planned)
   * at the proposal or the dispatcher's edit of it, in the same transaction as the answer.
   */
  async accept(
    id: string,
    input: AcceptRepromiseRequest,
    expected: ExpectedVersion,
    principal: Principal,
  ): Promise<{ request: RepromiseRequestResponse; case: CaseDetailResponse }> {
    const request = await this.openRequest(id);
    const promisedAt = input.promisedAt ?? new Date(request.proposed_at).toISOString();
    const edited = input.promisedAt !== undefined && new Date(input.promisedAt).getTime() !== new Date(request.proposed_at).getTime();
    const reason =
      input.reason ?? `Engineer ${request.requested_by_name ?? ''} asked: ${request.reason}${edited ? ' (time edited by dispatch)' : ''}`.replace('  ', ' ');
    const detail = await this.cases.repromise(request.case_id, { promisedAt, reason, customerAccepted: 'pending' }, expected, principal);
    const row = await this.repo.decide(id, {
      state: 'accepted',
      by: userIdOf(principal),
      byName: principal.name,
      at: this.clock.now(),
      acceptedPromisedAt: new Date(promisedAt),
      note: input.reason ?? null,
    });
    if (row.alert_id) await this.alerts.settle(row.alert_id, userIdOf(principal));
    return { request: toRepromiseRequest(row), case: detail };
  }

  async decline(id: string, input: DeclineRepromiseRequest, principal: Principal): Promise<RepromiseRequestResponse> {
    await this.openRequest(id);
    const row = await this.repo.decide(id, {
      state: 'declined',
      by: userIdOf(principal),
      byName: principal.name,
      at: this.clock.now(),
      acceptedPromisedAt: null,
      note: input.note,
    });
    if (row.alert_id) await this.alerts.settle(row.alert_id, userIdOf(principal));
    return toRepromiseRequest(row);
  }

  private async openRequest(id: string) {
    const request = await this.repo.findRequest(id, true);
    if (!request) throw new FieldException(FieldExceptionCode.REPROMISE_REQUEST_NOT_FOUND, `Re-promise request ${id} does not exist`);
    if (request.state !== 'open') {
      throw new FieldException(FieldExceptionCode.REPROMISE_REQUEST_DECIDED, `This request was already ${request.state}`);
    }
    return request;
  }

  /**
   * A photo or PDF for the case (optionally for one milestone, with a note). The declared Content-Type must
   * be one we take and the file's first bytes must agree with it (415 otherwise); the size was capped while
   * reading (413). Stored in PostgreSQL under the tenant's RLS policy.
   */
  async attach(caseId: string, contentType: string | undefined, data: Buffer, query: UploadAttachmentQuery, principal: Principal): Promise<AttachmentResponse> {
    const declared = declaredType(contentType);
    if (!declared) throw unsupportedType();
    await this.cases.get(caseId);
    if (data.length === 0) throw new FieldException(FieldExceptionCode.ATTACHMENT_EMPTY, 'The request body held no file');
    if (data.length > ATTACHMENT_MAX_BYTES) throw attachmentTooLarge();
    const sniffed = sniffContentType(data.subarray(0, 16));
    if (!sniffed || !sameKind(declared, sniffed)) {
      throw unsupportedType(`The file does not look like ${declared}${sniffed ? ` (it looks like ${sniffed})` : ''}; send a photo (JPEG, PNG, WebP, HEIC) or a PDF`);
    }
    const row = await this.repo.insertAttachment({
      caseId,
      milestone: query.milestone ?? null,
      note: query.note ?? null,
      fileName: query.fileName ?? `${query.milestone ?? 'file'}.${EXTENSIONS[declared]}`,
      contentType: declared,
      data,
      uploadedBy: userIdOf(principal),
      uploadedByName: principal.name,
    });
    return toAttachment(row);
  }

  async attachments(caseId: string): Promise<AttachmentList> {
    await this.cases.get(caseId);
    return { items: (await this.repo.attachmentsOfCase(caseId)).map(toAttachment) };
  }

  async content(id: string): Promise<{ attachment: AttachmentResponse; data: Buffer }> {
    const row = await this.repo.attachmentContent(id);
    // Another tenant's file is invisible under RLS: the same 404 as a file that never existed.
    if (!row) throw new FieldException(FieldExceptionCode.ATTACHMENT_NOT_FOUND, `Attachment ${id} does not exist`);
    return { attachment: toAttachment(row), data: row.data };
  }
}

const EXTENSIONS: Record<AttachmentContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'application/pdf': 'pdf',
};

/** The media type of a Content-Type header without its parameters, if it is one we take. */
export function declaredType(header: string | undefined): AttachmentContentType | null {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  return (ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(type) ? (type as AttachmentContentType) : null;
}
