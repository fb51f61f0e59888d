import { useState, type KeyboardEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import type { FourStepCallModel } from '../hooks/use-four-step-call';

/**
 * Options instead of a bare no (seed 001): tick what was offered, add her own in free text, mark what she
 * chose. Creating the case records them in its ledger (POST /cases/:id/options). Plain checkboxes and radios,
 * so Tab, Space and the arrow keys work; Enter in the free-text field adds the option instead of going on.
 */
export function OfferOptions({ call }: { call: FourStepCallModel }) {
  const { state, set, options, optionDetails, toggleOption, addOption, offerOptions } = call;
  const [other, setOther] = useState('');
  const offered = options.filter((o) => state.options.includes(o));
  const add = () => {
    if (addOption(other)) setOther('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  };
  return (
    <div className="offer-options">
      <fieldset className="fieldset">
        <legend>Options offered</legend>
        {offerOptions.isPending ? <p className="muted">Loading your organization’s options…</p> : null}
        {options.map((o, i) => (
          <div key={o} className="check-field offer-options__option">
            <input
              id={`opt-${i}`}
              type="checkbox"
              checked={state.options.includes(o)}
              onChange={(e) => toggleOption(o, e.target.checked)}
              aria-describedby={optionDetails[o] ? `opt-${i}-detail` : undefined}
            />
            <label htmlFor={`opt-${i}`}>{o}</label>
            {optionDetails[o] ? (
              <span id={`opt-${i}-detail`} className="muted offer-options__detail">
                {optionDetails[o]}
              </span>
            ) : null}
          </div>
        ))}
      </fieldset>
      <div className="offer-options__other">
        <TextField label="Another option (free text)" value={other} maxLength={80} onChange={(e) => setOther(e.target.value)} onKeyDown={onKeyDown} />
        <Button variant="secondary" size="sm" onClick={add} disabled={!other.trim()}>
          Add option
        </Button>
      </div>
      {offered.length ? (
        <fieldset className="fieldset">
          <legend>She chose</legend>
          {[...offered, ''].map((o, i) => (
            <div key={o || 'none'} className="check-field">
              <input id={`chosen-${i}`} type="radio" name="chosen-option" checked={state.chosenOption === o} onChange={() => set({ chosenOption: o })} />
              <label htmlFor={`chosen-${i}`}>{o || 'Not decided yet'}</label>
            </div>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}
