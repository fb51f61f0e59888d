import { useState } from 'react';
import { EXPECTATION_SOURCES, PRIORITIES, type ExpectationSource, type Priority } from '@kept/contracts';
import { Button } from '@/components/ui/button';
import { labelClass } from '@/components/ui/field-help';
import { SelectField } from '@/components/ui/select-field';
import { TextAreaField } from '@/components/ui/text-area-field';
import { TextField } from '@/components/ui/text-field';
import { humanize, timeZoneLabel, toLocalInputValue } from '@/lib/format';
import { formatCallInstant as format, type FourStepCallModel } from '../hooks/use-four-step-call';
import { readBack } from './call-text';
import { NewCustomerForm, NewSiteForm } from './new-reference-forms';

/** Step 1: confirm the need. Who, what, by when and why, her stress and expectation, read back to her. */
export function NeedStep({ call }: { call: FourStepCallModel }) {
  const { state, set, errors, customers, sites, recommendation, now } = call;
  const zone = timeZoneLabel();
  const readBackText = readBack(state, now, format);
  const expectation = recommendation.data?.expectation;
  const [adding, setAdding] = useState<'customer' | 'site' | null>(null);
  return (
    <>
      <div className="form-grid">
        <SelectField label="Customer" value={state.customerId} onChange={(v) => set({ customerId: v, siteId: '' })} error={errors.customerId} required>
          <option value="">{customers.isPending ? 'Loading…' : 'Choose…'}</option>
          {customers.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Site" value={state.siteId} onChange={(v) => set({ siteId: v })}>
          <option value="">{state.customerId ? (sites.data?.length ? 'Choose…' : 'No sites') : 'Choose a customer first'}</option>
          {sites.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.timeZone})
            </option>
          ))}
        </SelectField>
        <TextField label="Category" value={state.category} onChange={(e) => set({ category: e.target.value })} error={errors.category} required placeholder="e.g. Instrument down" />
        <SelectField label="Priority" value={state.priority} onChange={(v) => set({ priority: v as Priority })}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {humanize(p)}
            </option>
          ))}
        </SelectField>
      </div>
      {adding === 'customer' ? (
        <NewCustomerForm
          onCreated={(c) => {
            set({ customerId: c.id, siteId: '' });
            setAdding('site');
          }}
          onCancel={() => setAdding(null)}
        />
      ) : adding === 'site' && state.customerId ? (
        <NewSiteForm
          customerId={state.customerId}
          onCreated={(site) => {
            set({ siteId: site.id });
            setAdding(null);
          }}
          onCancel={() => setAdding(null)}
        />
      ) : (
        <div className="inline-create__toggles">
          <Button variant="ghost" size="sm" onClick={() => setAdding('customer')}>
            + New customer
          </Button>
          {state.customerId ? (
            <Button variant="ghost" size="sm" onClick={() => setAdding('site')}>
              + New site for this customer
            </Button>
          ) : null}
        </div>
      )}
      <TextField label="Problem" value={state.summary} onChange={(e) => set({ summary: e.target.value })} error={errors.summary} required maxLength={500} placeholder="e.g. Analyzer shows error E-42" />
      <TextField
        label={`She needs it resolved by (${zone})`}
        type="datetime-local"
        value={state.requiredAt}
        onChange={(e) => set({ requiredAt: e.target.value, confirmed: false })}
        error={errors.requiredAt}
        required
      />
      <TextAreaField
        label="What is at stake, in her words"
        value={state.context}
        onChange={(v) => set({ context: v, confirmed: false })}
        error={errors.context}
        hint="e.g. Five samples must be done before the doctor calls patients at 4 pm."
        required
      />
      <fieldset className={['fieldset', errors.stressLevel ? 'field--invalid' : null].filter(Boolean).join(' ')}>
        <legend className={labelClass('field__label', true)}>
          How stressed is she? (1 calm – 5 very)<span className="sr-only"> (required)</span>
        </legend>
        <div className="radio-row">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="radio-pill">
              <input type="radio" name="stress" value={n} checked={state.stressLevel === n} onChange={() => set({ stressLevel: n })} />
              <span>{n}</span>
            </label>
          ))}
        </div>
        {errors.stressLevel ? <p className="field__error">{errors.stressLevel}</p> : null}
      </fieldset>
      <div className="form-grid">
        <TextField
          label={`She expects it by (${zone}), optional`}
          type="datetime-local"
          value={state.expectedAt}
          onChange={(e) => set({ expectedAt: e.target.value })}
          error={errors.expectedAt}
        />
        <SelectField
          label="Main source of that expectation"
          value={state.expectationSource}
          onChange={(v) => set({ expectationSource: v as ExpectationSource })}
          error={errors.expectationSource}
        >
          <option value="">Not asked</option>
          {EXPECTATION_SOURCES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </SelectField>
      </div>
      {expectation?.expectedAt ? (
        <p className="engine-hint" data-testid="expectation-hint">
          Kept’s expectation engine: she likely expects it by <strong>{format(expectation.expectedAt)}</strong>
          {expectation.dominatingSource
            ? ` (${humanize(expectation.dominatingSource)}${expectation.n ? `, ${expectation.n} past cases` : ''})`
            : ''}
          .{' '}
          {!state.expectedAt ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                if (!expectation.expectedAt) return;
                set({ expectedAt: toLocalInputValue(new Date(expectation.expectedAt)), expectationSource: expectation.dominatingSource ?? '' });
              }}
            >
              Use it
            </Button>
          ) : null}
        </p>
      ) : null}
      <fieldset className="fieldset">
        <legend className="field__label">Other sources she mentioned</legend>
        <div className="chip-row">
          {EXPECTATION_SOURCES.map((s) => (
            <label key={s} className="chip">
              <input
                type="checkbox"
                checked={state.otherSources.includes(s)}
                onChange={(e) => set({ otherSources: e.target.checked ? [...state.otherSources, s] : state.otherSources.filter((x) => x !== s) })}
              />
              <span>{humanize(s)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="read-back" aria-live="polite">
        <p className="read-back__label">Read it back to her:</p>
        <p className="read-back__text" data-testid="read-back">
          {readBackText ?? 'Fill in the problem and the time she needs it by.'}
        </p>
        <div className="check-field">
          <input id="need-confirmed" type="checkbox" checked={state.confirmed} aria-required="true" disabled={!readBackText} onChange={(e) => set({ confirmed: e.target.checked })} />
          <label htmlFor="need-confirmed" className="is-required">
            She confirmed: that is what she needs
          </label>
        </div>
        {errors.confirmed ? <p className="field__error">{errors.confirmed}</p> : null}
      </div>
    </>
  );
}
