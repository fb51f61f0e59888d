import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'info' | 'warning' | 'success' | 'danger' | 'muted';

export interface BadgeProps {
  tone?: BadgeTone;
  /** A leading symbol; decorative, the text carries the meaning. */
  icon?: ReactNode;
  title?: string;
  children: ReactNode;
}

export function Badge({ tone = 'neutral', icon, title, children }: BadgeProps) {
  return (
    <span className={`badge badge--${tone}`} title={title}>
      {icon ? (
        <span className="badge__icon" aria-hidden="true">
          {icon}
        </span>
      ) : null}
      {children}
    </span>
  );
}
