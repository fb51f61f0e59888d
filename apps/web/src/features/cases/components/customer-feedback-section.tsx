import { useState } from 'react';
import type { PromiseProposal } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { formatInstant, fromLocalInputValue } from '@/lib/format';
import { useCustomerFeedback, useProposePromise } from '../api/customer-feedback';

const STATE: Record<PromiseProposal['state'], string> = {
  pending: 'Waiting for her answer',
  accepted: 'Accepted by the customer',
  declined: 'Declined by the customer',
  withdrawn: 'Withdrawn',
};

/**
 * The case page's "Customer" section: her survey (CSAT, stress, comment), the promises proposed to her with
 * her answers, and (for dispatchers) a form to propose a new promise that she accepts or declines on her
 * status page.
 */
export function CustomerFeedbackSection({ caseId, canAct, closed }: { caseId: string; canAct: boolean; closed: boolean }) {
  const feedback = useCustomerFeedback(caseId);
  const propose = useProposePromise(caseId);
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const survey = feedback.data?.survey ?? null;
  const proposals = feedback.data?.proposals ?? [];

  return (
    <div className="customer-feedback">
      {feedback.isError ? <Alert title="The customer's answers could not be loaded">{errorMessage(feedback.error)}</Alert> : null}
      <h3>Survey</h3>
      {survey ? (
        <dl className="customer-feedback__survey" data-testid="customer-survey">
          <dt>Satisfaction (CSAT)</dt>
          <dd>{survey.csat} / 5</dd>
          <dt>Stress</dt>
          <dd>{survey.stress} / 5</dd>
          {survey.comment ? (
            <>
              <dt>Comment</dt>
              <dd>“{survey.comment}”</dd>
            </>
          ) : null}
          <dt>Answered</dt>
          <dd>{formatInstant(survey.updatedAt)}</dd>
        </dl>
      ) : (
        <p className="muted">The customer has not answered the survey.</p>
      )}
      <h3>Promises proposed to the customer</h3>
      {proposals.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="customer-feedback__proposals">
          {proposals.map((p) => (
            <li key={p.id} data-testid="promise-proposal">
              <strong>{formatInstant(p.promisedAt)}</strong> — {p.reason} · <span className={`proposal-state proposal-state--${p.state}`}>{STATE[p.state]}</span>
              {p.answerNote ? <span className="muted"> (“{p.answerNote}”)</span> : null}
            </li>
          ))}
        </ul>
      )}
      {canAct && !closed ? (
        <form
          className="customer-feedback__form"
          onSubmit={(e) => {
            e.preventDefault();
            const promisedAt = fromLocalInputValue(at);
            if (!promisedAt || !reason.trim()) {
              setError('Give the new time and the reason she will read.');
              return;
            }
            setError(null);
            propose.mutate(
              { promisedAt, reason: reason.trim() },
              {
                onSuccess: () => {
                  setAt('');
                  setReason('');
                },
              },
            );
          }}
        >
          <TextField label="Propose a new promise" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
          <TextField label="Reason (the customer reads it)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
          <Button type="submit" size="sm" disabled={propose.isPending}>
            Ask the customer
          </Button>
          {error ? <p className="field__error">{error}</p> : null}
          {propose.isError ? <p className="field__error">{errorMessage(propose.error)}</p> : null}
        </form>
      ) : null}
    </div>
  );
}
