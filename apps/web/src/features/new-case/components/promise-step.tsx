import { Alert } from '@/components/ui/alert';
import { TextField } from '@/components/ui/text-field';
import { formatDuration, formatPercent } from '@/lib/format';
import { formatCallInstant as format, type FourStepCallModel } from '../hooks/use-four-step-call';
import { STEP_LABEL, STEPS, totalMinutes, type StepKey } from './promise-plan';


/** Where the promise comes from: the recommender's figures, or the contract's organizational promise. */
function PromiseSource({ call }: { call: FourStepCallModel }) {
  const { rec, contract, recommendation } = call;
  if (rec?.recommended) {
    const segment = rec.basis ? Object.entries(rec.basis.segment).map(([k, v]) => `${k} ${v}`) : [];
    return (
      <Alert tone="info" title="Recommended promise">
        Kept with {formatPercent(rec.recommended.keepProbability)} probability (target {formatPercent(rec.target)})
        {rec.basis
          ? `, from ${rec.basis.n} similar cases${segment.length ? ` (${segment.join(', ')})` : ''}, ${rec.basis.clock === 'business' ? 'business' : 'wall-clock'} time`
          : ''}
        {rec.basis?.extrapolated ? '. Few data: treat the probability as a rough guide' : ''}. Adjust each step to the worst case you can keep; the
        keep-probability follows.
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
  const { state, set, errors, breakdown, plan, promisedAt, businessClock, keepProbability, rec, untouched, lateBy, options } = call;
  const setMinutes = (key: StepKey, value: string) => set({ breakdown: { ...breakdown, [key]: value === '' ? Number.NaN : Number(value) } });
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
            />
            <p className="breakdown__end">
              {plan?.[i] ? `done by ${format((i === STEPS.length - 1 && promisedAt ? promisedAt : plan[i].endsAt).toISOString())}` : '…'}
            </p>
          </div>
        ))}
      </div>
      <div className="promise-summary" data-testid="promise-summary">
        <p className="promise-summary__label">Worst-case promise</p>
        <p className="promise-summary__time">{promisedAt ? format(promisedAt.toISOString()) : 'Loading the contract calendar…'}</p>
        <p className="muted">
          {formatDuration(totalMinutes(breakdown) || 0)} of {businessClock ? 'business' : 'wall-clock'} time · keep-probability:{' '}
          <strong data-testid="keep-probability">
            {keepProbability !== null ? formatPercent(keepProbability) : rec && !untouched ? 'computing…' : 'not available'}
          </strong>
        </p>
      </div>
      {lateBy !== null && lateBy > 0 ? (
        <Alert title={`This promise lands ${formatDuration(lateBy)} after her need`}>
          <p>Do not just say no. Offer what can still meet the need:</p>
          <fieldset className="fieldset">
            <legend className="sr-only">Options to offer</legend>
            {options.map((o) => (
              <div key={o} className="check-field">
                <input
                  id={`opt-${o}`}
                  type="checkbox"
                  checked={state.options.includes(o)}
                  onChange={(e) => set({ options: e.target.checked ? [...state.options, o] : state.options.filter((x) => x !== o) })}
                />
                <label htmlFor={`opt-${o}`}>{o}</label>
              </div>
            ))}
          </fieldset>
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
