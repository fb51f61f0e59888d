import type { Priority } from '@kept/contracts';

const LABEL: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export function PriorityLabel({ priority }: { priority: Priority }) {
  return (
    <span className={`priority priority--${priority}`}>
      <span className="priority__mark" aria-hidden="true" />
      {LABEL[priority]}
    </span>
  );
}
