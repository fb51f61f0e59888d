import { FieldHelp, labelClass, useFieldIds } from './field-help';

export interface TextAreaFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Validation message shown under the field and tied to it with aria-describedby. */
  error?: string;
  hint?: string;
  /** Marks the label with an asterisk (the form checks the value itself). */
  required?: boolean;
  rows?: number;
  maxLength?: number;
}

/** A labelled multi-line text field with hint and error, the textarea twin of TextField. */
export function TextAreaField({ label, value, onChange, error, hint, required, rows = 3, maxLength }: TextAreaFieldProps) {
  const { id, hintId, errorId, describedBy } = useFieldIds(hint, error);
  return (
    <div className={['field', error ? 'field--invalid' : null].filter(Boolean).join(' ')}>
      <label className={labelClass('field__label', required)} htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className="field__input field__textarea"
        rows={rows}
        value={value}
        maxLength={maxLength}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldHelp hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
