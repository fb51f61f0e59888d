import { useState, type FormEvent, type ReactNode } from 'react';
import { MILESTONE_KINDS, type CaseDetailResponse, type MilestoneKind } from '@kept/contracts';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { SelectField } from '@/components/ui/select-field';
import { fromLocalInputValue, humanize, timeZoneLabel, toLocalInputValue } from '@/lib/format';
import { useCaseAction, type CaseAction } from '../api/case-actions';
import { useRepromiseKeepProbability } from '../api/keep-probability';
import { SaveError } from './save-error';

type ActionKind = 'promise' | 'pause' | 'resume' | 'milestones' | 'fixed' | 'satisfied' | 'cancel';

const LABELS: Record<ActionKind, string> = {
  promise: 'Re-promise',
  pause: 'Pause',
  resume: 'Resume',
  milestones: 'Record milestone',
  fixed: 'Mark fixed',
  satisfied: 'Customer satisfied',
  cancel: 'Cancel case',
};

export function allowedActions(status: CaseDetailResponse['status']): ActionKind[] {
  switch (status) {
    case 'open':
      return ['promise', 'milestones', 'pause', 'fixed', 'satisfied', 'cancel'];
    case 'paused':
      return ['resume', 'promise', 'milestones', 'fixed', 'satisfied', 'cancel'];
    case 'fixed':
      return ['satisfied', 'promise', 'milestones', 'cancel'];
    default:
      return [];
  }
}

type Errors = Partial<Record<'at' | 'reason' | 'kind', string>>;

function ActionForm({ kind, detail, onDone }: { kind: ActionKind; detail: CaseDetailResponse; onDone: () => void }) {
  const mutation = useCaseAction(detail.id);
  const [at, setAt] = useState(() =>
    kind === 'promise' && detail.promisedAt ? toLocalInputValue(new Date(detail.promisedAt)) : '',
  );
  const [reason, setReason] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [milestone, setMilestone] = useState<MilestoneKind>('arrived');
  const [errors, setErrors] = useState<Errors>({});
  const zone = timeZoneLabel();
  // The server stores a re-promise with its own keep-probability; the form shows that figure as typed.
  const typedIso = kind === 'promise' ? fromLocalInputValue(at) : null;
  const settledIso = useDebouncedValue(typedIso, 400);
  const keep = useRepromiseKeepProbability(detail, kind === 'promise' ? settledIso : null);
  const keepProbability = settledIso !== null && settledIso === typedIso && typeof keep.data === 'number' ? keep.data : null;

  const build = (): CaseAction | Errors => {
    const e: Errors = {};
    const trimmed = reason.trim();
    const iso = fromLocalInputValue(at);
    switch (kind) {
      case 'promise':
        if (!iso) e.at = 'Enter the new promised time';
        else if (new Date(iso) <= new Date(detail.openedAt)) e.at = 'The promise must lie after the case was opened';
        if (!trimmed) e.reason = 'Say why the promise changes: the customer will see it';
        return Object.keys(e).length
          ? e
          : {
              kind,
              body: {
                promisedAt: iso as string,
                reason: trimmed,
                customerAccepted: accepted ? 'yes' : 'pending',
              },
            };
      case 'pause':
        if (!trimmed) e.reason = 'Say why the clock stops';
        return Object.keys(e).length ? e : { kind, body: { reason: trimmed } };
      case 'cancel':
        if (!trimmed) e.reason = 'Say why the case is cancelled';
        return Object.keys(e).length ? e : { kind, body: { reason: trimmed } };
      case 'milestones':
        return { kind, body: { kind: milestone, note: trimmed || undefined, at: iso ?? undefined } };
      default:
        return { kind, body: { reason: trimmed || undefined, at: iso ?? undefined } };
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = build();
    if (!('kind' in result) || typeof result.kind !== 'string' || !('body' in result)) {
      setErrors(result as Errors);
      return;
    }
    setErrors({});
    mutation.mutate({ version: detail.version, action: result as CaseAction }, { onSuccess: onDone });
  };

  const whenField = (label: string, hint: string, required = false): ReactNode => (
    <TextField
      label={`${label} (${zone})`}
      type="datetime-local"
      value={at}
      onChange={(event) => setAt(event.target.value)}
      error={errors.at}
      hint={hint}
      required={required}
    />
  );

  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label={LABELS[kind]}>
      {kind === 'promise' ? (
        <>
          {whenField('New promise', 'The worst case you can keep.', true)}
          <p className="muted" data-testid="repromise-keep-probability" aria-live="polite">
            {keepProbability !== null
              ? `Kept with ${Math.round(keepProbability * 100)} % probability, given the case is still open now (recorded with the promise).`
              : keep.isFetching || (typedIso !== null && typedIso !== settledIso)
                ? 'Asking the forecast for the keep-probability…'
                : 'No keep-probability is available for this time.'}
          </p>
          <TextAreaField maxLength={1000} label="Reason" value={reason} onChange={setReason} error={errors.reason} required hint="Recorded in the ledger and shown to the customer." />
          <div className="check-field">
            <input id={`${detail.id}-accepted`} type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
            <label htmlFor={`${detail.id}-accepted`}>The customer accepted the new promise</label>
          </div>
        </>
      ) : null}
      {kind === 'pause' || kind === 'cancel' ? (
        <TextAreaField maxLength={1000} label="Reason" value={reason} onChange={setReason} error={errors.reason} required />
      ) : null}
      {kind === 'milestones' ? (
        <>
          <SelectField label="Milestone" value={milestone} onChange={(v) => setMilestone(v as MilestoneKind)}>
            {MILESTONE_KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </SelectField>
          {whenField('When', 'Leave empty for now.')}
          <TextAreaField maxLength={1000} label="Note" value={reason} onChange={setReason} />
        </>
      ) : null}
      {kind === 'resume' || kind === 'fixed' || kind === 'satisfied' ? (
        <>
          {whenField('When', 'Leave empty for now.')}
          <TextAreaField maxLength={1000} label="Note" value={reason} onChange={setReason} />
        </>
      ) : null}
      {mutation.isError ? <SaveError error={mutation.error} /> : null}
      <div className="action-form__buttons">
        <Button type="submit" busy={mutation.isPending}>
          {LABELS[kind]}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Close
        </Button>
      </div>
    </form>
  );
}

/** The actions the case's status allows, each opening its own validated form. */
export function CaseActions({ detail, canAct }: { detail: CaseDetailResponse; canAct: boolean }) {
  const [open, setOpen] = useState<ActionKind | null>(null);
  const actions = allowedActions(detail.status);
  if (!canAct) return <p className="muted">Your role can read this case but not change it.</p>;
  if (actions.length === 0) return <p className="muted">This case is closed; it cannot change any more.</p>;
  return (
    <div className="case-actions">
      <div className="case-actions__buttons" role="group" aria-label="Actions">
        {actions.map((kind) => (
          <Button
            key={kind}
            variant={open === kind ? 'primary' : 'secondary'}
            size="sm"
            aria-expanded={open === kind}
            onClick={() => setOpen(open === kind ? null : kind)}
          >
            {LABELS[kind]}
          </Button>
        ))}
      </div>
      {open ? <ActionForm key={`${open}-${detail.version}`} kind={open} detail={detail} onDone={() => setOpen(null)} /> : null}
    </div>
  );
}
