import { Link } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { SelectField } from '@/components/ui/select-field';
import { TextAreaField } from '@/components/ui/text-area-field';
import { errorMessage } from '@/lib/api-client';
import type { FourStepCallModel } from '../hooks/use-four-step-call';

/** Step 4: tell the engineer the exact promise; creating the case sends it. */
export function TellEngineerStep({ call }: { call: FourStepCallModel }) {
  const { state, set, errors, engineers, message, openCase } = call;
  return (
    <>
      <SelectField label="Engineer" value={state.engineerId} onChange={(v) => set({ engineerId: v })} error={errors.engineerId} required>
        <option value="">Choose…</option>
        {engineers.data?.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Message to the engineer: the exact promise"
        value={message}
        onChange={(v) => set({ message: v })}
        error={errors.message}
        rows={5}
        required
      />
      {openCase.isError ? <Alert title="The case was not created">{errorMessage(openCase.error)}</Alert> : null}
      {openCase.data?.dispatchError ? (
        <Alert
          title="The case was created, but the engineer was not told"
          action={
            <Link className="button button--secondary button--md" to={`/cases/${openCase.data.detail.id}`}>
              Open {openCase.data.detail.reference}
            </Link>
          }
        >
          {errorMessage(openCase.data.dispatchError)}
        </Alert>
      ) : null}
      {openCase.data?.optionsError ? (
        <Alert
          title="The case was created, but the options offered were not recorded"
          action={
            <Link className="button button--secondary button--md" to={`/cases/${openCase.data.detail.id}`}>
              Record them on {openCase.data.detail.reference}
            </Link>
          }
        >
          {errorMessage(openCase.data.optionsError)}
        </Alert>
      ) : null}
    </>
  );
}
