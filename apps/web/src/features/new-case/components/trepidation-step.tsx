import { Alert } from '@/components/ui/alert';
import { Spinner } from '@/components/ui/spinner';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { formatDuration } from '@/lib/format';
import { formatCallInstant as format, type FourStepCallModel } from '../hooks/use-four-step-call';
import { lowerFirst } from './call-text';

/** Step 2: address trepidation. Who can go and how soon, so she hears something true. */
export function TrepidationStep({ call }: { call: FourStepCallModel }) {
  const { state, set, errors, engineers, engineer, eta } = call;
  return (
    <>
      <p className="muted">Who can go, and how soon? Tell her something true: who is coming, how far away, with which parts.</p>
      {engineers.isPending ? <Spinner label="Loading engineers" /> : null}
      {engineers.isError ? <Alert title="Engineers could not be loaded">{errorMessage(engineers.error)}</Alert> : null}
      {engineers.data?.length === 0 ? <Alert tone="info">No active engineers in this organization.</Alert> : null}
      <fieldset className="fieldset">
        <legend className="field__label">Engineer</legend>
        <ul className="engineer-list">
          {engineers.data?.map((e) => (
            <li key={e.id}>
              <label className="engineer-card">
                <input type="radio" name="engineer" value={e.id} checked={state.engineerId === e.id} onChange={() => set({ engineerId: e.id })} />
                <span className="engineer-card__name">{e.name}</span>
                <span className="engineer-card__load">
                  {e.openCases === 0 ? 'Free: no open cases' : `${e.openCases} open ${e.openCases === 1 ? 'case' : 'cases'}`}
                  {e.nextPromiseAt ? `, next promise ${format(e.nextPromiseAt)}` : ''}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="form-grid">
        <TextField
          label="Engineer ETA (minutes from now)"
          inputMode="numeric"
          value={state.etaMinutes}
          onChange={(e) => set({ etaMinutes: e.target.value, breakdown: null })}
          error={errors.etaMinutes}
          hint={`Ask the engineer; the promise’s arrival step is at least this${eta !== null && Number.isFinite(eta) && eta >= 60 ? ` (= ${formatDuration(eta)})` : ''}.`}
        />
      </div>
      <TextAreaField label="Parts" value={state.partsNote} onChange={(v) => set({ partsNote: v })} hint="e.g. Carries a full set of probe spares." />
      {engineer ? (
        <p className="read-back__text">
          “I just spoke to {engineer.name.split(' ')[0]}
          {eta !== null && Number.isFinite(eta) ? `: about ${formatDuration(eta)} away` : ''}
          {state.partsNote.trim() ? `, and ${lowerFirst(state.partsNote.trim().replace(/[.]+$/, ''))}` : ''}.”
        </p>
      ) : null}
    </>
  );
}
