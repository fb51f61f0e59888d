import type { AttachmentContentType, AttachmentResponse, MilestoneKind, RepromiseRequestResponse, RepromiseRequestState } from '@kept/contracts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export interface RepromiseRequestRow {
  id: string;
  case_id: string;
  requested_by: string | null;
  requested_by_name: string | null;
  requested_at: Date;
  proposed_at: Date;
  reason: string;
  promised_at_request: Date | null;
  state: RepromiseRequestState;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  accepted_promised_at: Date | null;
  decision_note: string | null;
  alert_id: string | null;
}

export const toRepromiseRequest = (r: RepromiseRequestRow): RepromiseRequestResponse => ({
  id: r.id,
  caseId: r.case_id,
  requestedBy: { id: r.requested_by, name: r.requested_by_name },
  requestedAt: new Date(r.requested_at).toISOString(),
  proposedAt: new Date(r.proposed_at).toISOString(),
  reason: r.reason,
  promisedAtRequest: iso(r.promised_at_request),
  state: r.state,
  decidedBy: r.decided_at ? { id: r.decided_by, name: r.decided_by_name } : null,
  decidedAt: iso(r.decided_at),
  acceptedPromisedAt: iso(r.accepted_promised_at),
  decisionNote: r.decision_note,
  alertId: r.alert_id,
});

export interface AttachmentRow {
  id: string;
  case_id: string;
  milestone: MilestoneKind | null;
  note: string | null;
  file_name: string;
  content_type: AttachmentContentType;
  size_bytes: number;
  uploaded_by: string | null;
  uploaded_by_name: string | null;
  created_at: Date;
}

export const toAttachment = (r: AttachmentRow): AttachmentResponse => ({
  id: r.id,
  caseId: r.case_id,
  milestone: r.milestone,
  note: r.note,
  fileName: r.file_name,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  uploadedBy: { id: r.uploaded_by, name: r.uploaded_by_name },
  createdAt: new Date(r.created_at).toISOString(),
});
