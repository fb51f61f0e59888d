import type { CaseStatus } from '@kept/contracts';
import { Badge, type BadgeTone } from '@/components/ui/badge';

const LOOK: Record<CaseStatus, { label: string; tone: BadgeTone; icon: string }> = {
  open: { label: 'Open', tone: 'info', icon: '●' },
  paused: { label: 'Paused', tone: 'warning', icon: '❚❚' },
  fixed: { label: 'Fixed', tone: 'neutral', icon: '✓' },
  satisfied: { label: 'Satisfied', tone: 'success', icon: '✓' },
  cancelled: { label: 'Cancelled', tone: 'muted', icon: '–' },
};

export function CaseStatusBadge({ status, pauseReason }: { status: CaseStatus; pauseReason?: string | null }) {
  const look = LOOK[status];
  return (
    <Badge
      tone={look.tone}
      icon={look.icon}
      title={status === 'paused' && pauseReason ? `Paused: ${pauseReason}` : undefined}
    >
      {look.label}
    </Badge>
  );
}
