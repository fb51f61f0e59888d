import type { ReactNode } from 'react';
import { FieldHelp, labelClass, useFieldIds } from './field-help';

export interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The `<option>`s. */
  children: ReactNode;
  /** Validation message shown under the field and tied to it with aria-describedby. */
  error?: string;
  hint?: string;
  /** Keeps the label for screen readers only (a select inside a table row, say). */
  hideLabel?: boolean;
  /** Compact variant for selects inside tables. */
  inline?: boolean;
  /** Extra classes on the field's wrapper, e.g. `filters__field` in a filter bar. */
  className?: string;
  disabled?: boolean;
  /** Marks the label like every required field (the form checks the value itself). */
  required?: boolean;
}

/** A labelled `<select>` with hint and error, the select twin of TextField. */
export function SelectField({ label, value, onChange, children, error, hint, hideLabel, inline, className, disabled, required }: SelectFieldProps) {
  const { id, hintId, errorId, describedBy } = useFieldIds(hint, error);
  const select = (
    <select
      id={id}
      className={['field__input field__input--select', inline ? 'field__input--inline' : null].filter(Boolean).join(' ')}
      value={value}
      disabled={disabled}
      aria-required={required || undefined}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value)}
    >
      {children}
    </select>
  );
  const labelElement = (
    <label className={hideLabel ? 'sr-only' : labelClass('field__label', required)} htmlFor={id}>
      {label}
    </label>
  );
  // Inline (in a table cell) it is just the label and the select, without the field's block layout.
  if (inline && !error && !hint) {
    return (
      <>
        {labelElement}
        {hideLabel ? null : ' '}
        {select}
      </>
    );
  }
  return (
    <div className={['field', error ? 'field--invalid' : null, className].filter(Boolean).join(' ')}>
      {labelElement}
      {select}
      <FieldHelp hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
