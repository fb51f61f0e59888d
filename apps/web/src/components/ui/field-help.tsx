import { useId } from 'react';

/**
 * The ids a labelled field needs: one for the control (its label's `htmlFor`) and, for its hint and error,
 * the `aria-describedby` that ties whichever of them is shown to the control.
 */
export function useFieldIds(hint?: string, error?: string) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

/** The hint and the validation error under a field (TextField, TextAreaField, SelectField). */
export function FieldHelp({ hint, error, hintId, errorId }: { hint?: string; error?: string; hintId: string; errorId: string }) {
  return (
    <>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

/**
 * The one mark of a required field, on its label (TextField, TextAreaField, SelectField, and the legends
 * of radio groups): the class draws a red asterisk after the text (CSS, left out of the accessible name);
 * screen readers hear "required" from the control's `aria-required` instead.
 */
export function labelClass(base: string, required?: boolean): string {
  return required ? `${base} is-required` : base;
}
