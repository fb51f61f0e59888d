import type { ReactNode } from 'react';

export interface AlertProps {
  tone?: 'error' | 'info';
  title?: string;
  children?: ReactNode;
  /** Buttons or links offered next to the message (e.g. "Try again"). */
  action?: ReactNode;
  className?: string;
}

/**
 * A message box. Errors use role="alert" so they are announced as they appear; info uses role="status".
 */
export function Alert({ tone = 'error', title, children, action, className }: AlertProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={['alert', `alert--${tone}`, className].filter(Boolean).join(' ')}
    >
      <div className="alert__body">
        {title ? <p className="alert__title">{title}</p> : null}
        {children ? <div className="alert__text">{children}</div> : null}
      </div>
      {action ? <div className="alert__action">{action}</div> : null}
    </div>
  );
}
