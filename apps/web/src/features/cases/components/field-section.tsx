import { useEffect, useState } from 'react';
import type { AttachmentResponse, CaseDetailResponse, RepromiseRequestResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { formatInstant, fromLocalInputValue, humanize, toLocalInputValue } from '@/lib/format';
import { attachmentObjectUrl, useAnswerRepromiseRequest, useAttachments, useRepromiseRequests } from '../api/field';

const fmt = (iso: string | null) => (iso ? (formatInstant(iso) ?? iso) : '—');

function OpenRequest({ request, detail, canAct }: { request: RepromiseRequestResponse; detail: CaseDetailResponse; canAct: boolean }) {
  const answer = useAnswerRepromiseRequest(detail.id);
  const [time, setTime] = useState(toLocalInputValue(new Date(request.proposedAt)));
  const [note, setNote] = useState('');
  const edited = fromLocalInputValue(time);
  return (
    <div className="field-request" data-testid="repromise-request">
      <p>
        <strong>{request.requestedBy.name ?? 'The engineer'}</strong> asks to re-promise for <strong>{fmt(request.proposedAt)}</strong> (now{' '}
        {fmt(detail.promisedAt)}): “{request.reason}”
      </p>
      {canAct ? (
        <div className="field-request__answer">
          <TextField label="Promise at" type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} />
          <Button
            busy={answer.isPending && answer.variables?.action === 'accept'}
            disabled={!edited}
            onClick={() => answer.mutate({ id: request.id, action: 'accept', promisedAt: edited ?? undefined, version: detail.version })}
          >
            {edited && new Date(edited).getTime() !== new Date(request.proposedAt).getTime() ? 'Re-promise at the edited time' : 'Accept and re-promise'}
          </Button>
          <TextField label="Note to the engineer (to decline)" value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
          <Button variant="secondary" disabled={note.trim() === ''} onClick={() => answer.mutate({ id: request.id, action: 'decline', note: note.trim() })}>
            Decline
          </Button>
        </div>
      ) : null}
      {answer.isError ? <Alert title="Not answered">{errorMessage(answer.error)}</Alert> : null}
    </div>
  );
}

function AttachmentItem({ a }: { a: AttachmentResponse }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const isImage = a.contentType === 'image/jpeg' || a.contentType === 'image/png' || a.contentType === 'image/webp';
  useEffect(() => {
    const controller = new AbortController();
    let made: string | null = null;
    attachmentObjectUrl(a.id, controller.signal)
      .then((u) => {
        made = u;
        setUrl(u);
      })
      .catch(() => setFailed(!controller.signal.aborted));
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [a.id]);
  return (
    <li className="attachment" data-testid="attachment">
      {url && isImage ? <img src={url} alt={a.note ?? a.fileName} className="attachment__thumb" /> : null}
      <div>
        {url ? (
          <a href={url} download={a.fileName}>
            {a.fileName}
          </a>
        ) : (
          <span>{a.fileName}</span>
        )}{' '}
        <span className="muted">
          {a.milestone ? `${humanize(a.milestone)} · ` : ''}
          {Math.ceil(a.sizeBytes / 1024)} KB · {a.uploadedBy.name ?? ''} {fmt(a.createdAt)}
        </span>
        {a.note ? <p className="attachment__note">{a.note}</p> : null}
        {failed ? <p className="muted">The file could not be loaded.</p> : null}
      </div>
    </li>
  );
}

/**
 * What the engineer sent from the field, on the case page: his re-promise requests (a dispatcher accepts —
 * the re-promise is made — edits the time, or declines with a note) and his photos and PDFs. Staff only.
 */
export function FieldSection({ detail, canAct }: { detail: CaseDetailResponse; canAct: boolean }) {
  const requests = useRepromiseRequests(detail.id);
  const attachments = useAttachments(detail.id);
  const open = requests.data?.items.filter((r) => r.state === 'open') ?? [];
  const answered = requests.data?.items.filter((r) => r.state !== 'open') ?? [];
  return (
    <div className="field-section">
      <h3>Re-promise requests</h3>
      {requests.isError ? <Alert>{errorMessage(requests.error)}</Alert> : null}
      {open.length === 0 && answered.length === 0 ? <p className="muted">None.</p> : null}
      {open.map((r) => (
        <OpenRequest key={r.id} request={r} detail={detail} canAct={canAct} />
      ))}
      {answered.length > 0 ? (
        <ul className="event-list">
          {answered.map((r) => (
            <li key={r.id}>
              {r.requestedBy.name ?? 'The engineer'} asked for {fmt(r.proposedAt)} (“{r.reason}”):{' '}
              <strong>{r.state === 'accepted' ? `re-promised for ${fmt(r.acceptedPromisedAt)}` : 'declined'}</strong>
              {r.decidedBy?.name ? ` by ${r.decidedBy.name}` : ''}
              {r.decisionNote ? ` — ${r.decisionNote}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <h3>Photos and documents</h3>
      {attachments.isError ? <Alert>{errorMessage(attachments.error)}</Alert> : null}
      {attachments.data?.items.length === 0 ? <p className="muted">None yet.</p> : null}
      {attachments.data && attachments.data.items.length > 0 ? (
        <ul className="attachment-list">
          {attachments.data.items.map((a) => (
            <AttachmentItem key={a.id} a={a} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
