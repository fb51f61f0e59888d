export interface SpinnerProps {
  /** Announced to screen readers; omit when the surrounding text already says it. */
  label?: string;
  size?: 'sm' | 'md';
}

export function Spinner({ label, size = 'sm' }: SpinnerProps) {
  return (
    <span
      className={`spinner spinner--${size}`}
      role={label ? 'status' : undefined}
      aria-hidden={label ? undefined : true}
    >
      {label ? <span className="sr-only">{label}</span> : null}
    </span>
  );
}
