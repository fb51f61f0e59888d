import { useState, type FormEvent } from 'react';
import type { CaseDetailResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { SelectField } from '@/components/ui/select-field';
import { useAssignableEngineers, useAssignCase } from '../api/assign-case';
import { SaveError } from './save-error';

const CLOSED = ['satisfied', 'cancelled'];
/** The select's value for "nobody". */
const NOBODY = '';

function AssignmentForm({ detail, onDone }: { detail: CaseDetailResponse; onDone: () => void }) {
  const engineers = useAssignableEngineers();
  const mutation = useAssignCase(detail.id);
  const [assigneeId, setAssigneeId] = useState(detail.assignee?.id ?? NOBODY);
  const [reason, setReason] = useState('');
  const [team, setTeam] = useState('');
  const [error, setError] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) {
      setError('Say why the case changes hands: it goes into the ledger');
      return;
    }
    setError(undefined);
    mutation.mutate(
      {
        version: detail.version,
        body: { assigneeId: assigneeId === NOBODY ? null : assigneeId, reason: trimmed, ...(team.trim() ? { team: team.trim() } : {}) },
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label="Change assignment">
      <SelectField label="Engineer" value={assigneeId} onChange={setAssigneeId} disabled={engineers.isPending}>
        <option value={NOBODY}>Unassigned</option>
        {/* The current assignee stays selectable even when no longer an active engineer. */}
        {detail.assignee && !engineers.data?.some((e) => e.id === detail.assignee?.id) ? (
          <option value={detail.assignee.id}>{detail.assignee.name}</option>
        ) : null}
        {(engineers.data ?? []).map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
            {e.team ? ` (${e.team})` : ''} · {e.openCases} open
          </option>
        ))}
      </SelectField>
      <TextField
        label="Team"
        value={team}
        maxLength={100}
        onChange={(e) => setTeam(e.target.value)}
        hint="Leave empty for the engineer’s own team."
      />
      <TextAreaField maxLength={500} label="Reason" value={reason} onChange={setReason} error={error} required hint="Recorded in the ledger." />
      {engineers.isError ? <Alert title="Engineers not loaded">{errorMessage(engineers.error)}</Alert> : null}
      {mutation.isError ? <SaveError error={mutation.error} /> : null}
      <div className="action-form__buttons">
        <Button type="submit" busy={mutation.isPending}>
          Save assignment
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Close
        </Button>
      </div>
    </form>
  );
}

/**
 * Who works on the case and the case's team; dispatchers, managers and admins (`canAssign`) change it
 * with a reason (PUT /cases/:id/assignment with If-Match), which the ledger then shows.
 */
export function CaseAssignment({ detail, canAssign }: { detail: CaseDetailResponse; canAssign: boolean }) {
  const [open, setOpen] = useState(false);
  const editable = canAssign && !CLOSED.includes(detail.status);
  return (
    <div className="case-assignment">
      <p data-testid="case-assignee">
        {detail.assignee ? (
          <>
            Assigned to <strong>{detail.assignee.name}</strong>
            {detail.assignee.team ? ` · ${detail.assignee.team}` : ''}
          </>
        ) : (
          'Unassigned'
        )}
      </p>
      {editable ? (
        <Button variant={open ? 'primary' : 'secondary'} size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
          Change assignment
        </Button>
      ) : null}
      {editable && open ? <AssignmentForm key={detail.version} detail={detail} onDone={() => setOpen(false)} /> : null}
    </div>
  );
}
