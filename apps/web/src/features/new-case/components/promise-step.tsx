import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { formatDuration, formatPercent } from '@/lib/format';
import { formatCallInstant as format, type FourStepCallModel } from '../hooks/use-four-step-call';
import { OfferOptions } from './offer-options';
import { arrivalVersusEta, evidenceText, STEP_LABEL, STEPS, totalMinutes, type StepKey } from './promise-plan';

/** Where the promise comes from: the recommender's figures, or the contract's organizational promise. */
function PromiseSource({ call }: { call: FourStepCallModel }) {
  const { rec, contract, recommendation } = call;
  if (rec?.recommended) {
    const segment = rec.basis ? Object.entries(rec.basis.segment).map(([k, v]) => `${k} ${v}`) : [];
    const evidence = rec.basis ? evidenceText(rec.basis.n, rec.basis.extrapolated) : null;
    return (
      <Alert tone="info" title="Recommended promise">
        Kept with {formatPercent(rec.recommended.keepProbability)} probability (target {formatPercent(rec.target)})
        {rec.basis && evidence
          ? `, ${evidence.basis}${segment.length ? ` (${segment.join(', ')})` : ''}, ${rec.basis.clock === 'business' ? 'business' : 'wall-clock'} time`
          : ''}
        .{' '}
        {rec.basis?.reason ? (
          <strong className="honest-reason" data-testid="honest-reason">
            {rec.basis.reason}{' '}
          </strong>
        ) : null}
        Adjust each step to the worst case you can keep; the keep-probability follows.
        {evidence?.caveat ? (
          <strong className="evidence-caveat" data-testid="evidence-caveat">
            {' '}
            {evidence.caveat}
          </strong>
        ) : null}
      </Alert>
    );
  }
  return (
    <Alert tone="info" title="Organizational promise (no recommendation available)">
      {contract
        ? `Built from the contract “${contract.name}”: ${formatDuration(contract.promiseMinutes)} of ${contract.promiseBasis === 'business' ? 'business' : 'wall-clock'} time${
            contract.promiseDescription ? ` (${contract.promiseDescription})` : ''
          }. `
        : 'This customer has no contract: a default worst case. '}
      {recommendation.isFetching ? 'Asking the recommender… ' : 'No recommendation is available, so no keep-probability is shown. '}
      Adjust each step to the worst case you can keep.
    </Alert>
  );
}

/**
 * Step 3: set the worst-case promise. Four step durations, when each ends, the promise and its
 * keep-probability, and, when it lands after her need, options to offer instead of a bare no.
 */
export function PromiseStep({ call }: { call: FourStepCallModel }) {
  const { state, set, errors, breakdown, plan, promisedAt, businessClock, keepProbability, rec, untouched, lateBy, etaMinutes, historyArrival } = call;
  const setMinutes = (key: StepKey, value: string) => set({ breakdown: { ...breakdown, [key]: value === '' ? Number.NaN : Number(value) } });
  const arrivalSource = arrivalVersusEta(historyArrival, etaMinutes);
  const evidence = rec?.basis ? evidenceText(rec.basis.n, rec.basis.extrapolated) : null;
  return (
    <>
      <PromiseSource call={call} />
      <div className="breakdown" role="group" aria-label="Promise breakdown">
        {STEPS.map((key, i) => (
          <div key={key} className="breakdown__step">
            <TextField
              label={`${STEP_LABEL[key]} (minutes)`}
              inputMode="numeric"
              value={Number.isNaN(breakdown[key]) ? '' : String(breakdown[key])}
              onChange={(e) => setMinutes(key, e.target.value)}
              error={errors[key]}
              hint={Number.isFinite(breakdown[key]) && breakdown[key] >= 60 ? `= ${formatDuration(breakdown[key])}` : undefined}
            />
            <p className="breakdown__end">
              {plan?.[i] ? `done by ${format((i === STEPS.length - 1 && promisedAt ? promisedAt : plan[i].endsAt).toISOString())}` : '…'}
            </p>
          </div>
        ))}
      </div>
      {arrivalSource === 'history' && etaMinutes !== null ? (
        <div className="eta-note" data-testid="eta-note" role="note">
          <p>
            The engineer said <strong>{formatDuration(etaMinutes)}</strong>, but arrival is planned at{' '}
            <strong>{formatDuration(historyArrival ?? 0)}</strong>: {rec ? `in similar cases arrival took up to that long (the recommender’s worst case${evidence ? `, ${evidence.basis}` : ''})` : 'half of the contract’s promise'}.
            The promise is a worst case; you decide.
          </p>
          {breakdown.arrivalMinutes !== etaMinutes ? (
            <Button variant="secondary" size="sm" onClick={() => set({ breakdown: { ...breakdown, arrivalMinutes: etaMinutes } })}>
              Use the engineer’s ETA ({formatDuration(etaMinutes)}) for arrival
            </Button>
          ) : (
            <p className="muted">Arrival follows the engineer’s ETA; the keep-probability shows the risk.</p>
          )}
        </div>
      ) : arrivalSource === 'eta' && etaMinutes !== null && breakdown.arrivalMinutes === etaMinutes ? (
        <p className="muted" data-testid="eta-note">
          Arrival is the engineer’s ETA ({formatDuration(etaMinutes)}), longer than {rec ? 'similar cases took' : 'the contract’s share for arrival'}.
        </p>
      ) : null}
      <div className="promise-summary" data-testid="promise-summary">
        <p className="promise-summary__label">Worst-case promise</p>
        <p className="promise-summary__time">{promisedAt ? format(promisedAt.toISOString()) : 'Loading the contract calendar…'}</p>
        <p className="muted">
          {formatDuration(totalMinutes(breakdown) || 0)} of {businessClock ? 'business' : 'wall-clock'} time · keep-probability:{' '}
          <strong data-testid="keep-probability">
            {keepProbability !== null ? formatPercent(keepProbability) : rec && !untouched ? 'computing…' : 'not available'}
          </strong>
          {keepProbability !== null && evidence ? <span data-testid="keep-probability-basis"> ({evidence.basis})</span> : null}
        </p>
      </div>
      {lateBy !== null && lateBy > 0 ? (
        <Alert title={`This promise lands ${formatDuration(lateBy)} after her need`}>
          <p>Do not just say no. Offer what can still meet the need; creating the case records what you offered and what she chose.</p>
          <OfferOptions call={call} />
        </Alert>
      ) : lateBy !== null ? (
        <p className="gap-list__item gap-list__item--ok">
          <span aria-hidden="true">✓</span> {formatDuration(-lateBy)} inside her need.
        </p>
      ) : null}
      <div className="check-field">
        <input id="promise-accepted" type="checkbox" checked={state.accepted} onChange={(e) => set({ accepted: e.target.checked })} />
        <label htmlFor="promise-accepted">She accepted this promise</label>
      </div>
    </>
  );
}
