import type { CaseGapsResponse } from '@kept/contracts';
import { Badge } from '@/components/ui/badge';
import { formatDuration } from '@/lib/format';

export interface PromiseVerdictProps {
  gaps: CaseGapsResponse;
  promisedAt: string | null;
  now: Date;
}

/** Was the promise kept? Shape, colour and text each say it, so colour is never the only signal. */
export function PromiseVerdict({ gaps, promisedAt, now }: PromiseVerdictProps) {
  const late = gaps.satisfiedMinusPromised?.wallMinutes ?? null;
  switch (gaps.promise) {
    case 'kept':
      return (
        <div className="verdict">
          <Badge tone="success" icon="✓">
            Kept
          </Badge>
        </div>
      );
    case 'missed':
      return (
        <div className="verdict">
          <Badge tone="danger" icon="✕">
            Missed
          </Badge>
          {late !== null && late > 0 ? (
            <span className="cell-note cell-note--danger">by {formatDuration(late)}</span>
          ) : null}
        </div>
      );
    case 'open': {
      const overdueMinutes = promisedAt ? (now.getTime() - new Date(promisedAt).getTime()) / 60_000 : 0;
      return (
        <div className="verdict">
          <Badge tone="info" icon="◷">
            Open
          </Badge>
          {overdueMinutes >= 1 ? (
            <span className="cell-note cell-note--danger">overdue {formatDuration(overdueMinutes)}</span>
          ) : null}
        </div>
      );
    }
    default:
      return <span className="cell-empty">No promise</span>;
  }
}
