import type { ReactNode } from 'react';

/**
 * The box a wide table scrolls in sideways on a narrow screen (the page itself never does). It is a named
 * group that takes keyboard focus, so keyboard users can scroll it too (WCAG 2.1.1; axe
 * `scrollable-region-focusable`). A group, not a region: the section around it is the landmark.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="group" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
