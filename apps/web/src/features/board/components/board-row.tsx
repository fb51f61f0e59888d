import { useId } from 'react';
import { Link } from 'react-router';
import type { BoardItemResponse, Priority, RiskClass, RiskReason } from '@kept/contracts';
import { chanceToKeep, LIKELY_KEPT } from '@kept/domain';
import { FourTimesChart } from '@/components/four-times/four-times-chart';
import { Badge } from '@/components/ui/badge';
import { CaseStatusBadge } from '@/components/case-status-badge';
import { formatTimeLeft } from '@/lib/format';
import type { TimeWindow } from './time-scale';

/** One line of the board: a case's class, reference, summary, priority, status, stress, time left and timeline. */
const REASON_TEXT: Record<RiskReason, string> = {
  promise_overdue: 'Promise overdue',
  need_overdue: 'Need missed',
  promise_after_need: 'Promise after the need',
  promise_at_risk: 'Promise at risk',
  need_at_risk: 'Need at risk',
  no_promise: 'No promise yet',
};

export const CLASS_TEXT: Record<RiskClass, string> = {
  missed: 'Missed',
  at_risk: 'At risk',
  on_track: 'On track',
  fixed: 'Fixed',
};
const CLASS_TONE = { missed: 'danger', at_risk: 'warning', on_track: 'success', fixed: 'neutral' } as const;
const CLASS_ICON: Record<RiskClass, string> = { missed: '!!', at_risk: '!', on_track: '✓', fixed: '✓' };

function TimeLeft({ minutes, paused }: { minutes: number | null; paused: boolean }) {
  if (minutes === null) return <span className="cell-empty">—</span>;
  if (paused) {
    return (
      <span className="time-left time-left--paused" title="The clock is stopped while the case is paused">
        {formatTimeLeft(minutes)}{' '}
        <span className="cell-note">
          <span aria-hidden="true">❚❚</span>
          <span className="sr-only">clock stopped</span>
        </span>
      </span>
    );
  }
  const tone = minutes <= 0 ? 'danger' : minutes <= 60 ? 'warning' : 'ok';
  return <span className={`time-left time-left--${tone}`}>{formatTimeLeft(minutes)}</span>;
}

const PRIORITY_TEXT: Record<Priority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };

function PriorityCell({ priority }: { priority: Priority }) {
  return <span className={`priority priority--${priority}`}>{PRIORITY_TEXT[priority] ?? priority}</span>;
}

/**
 * The chance to keep beside the class, from the domain's one rule (chanceToKeep): shown only where it
 * agrees with the class, so a row never reads "On track" beside a low chance or "At risk" beside a high one.
 */
function ChanceCell({ item }: { item: BoardItemResponse }) {
  const { chance, disagrees } = chanceToKeep(item.riskClass, item.keepProbability);
  if (disagrees) {
    const direction = item.riskClass === 'on_track' ? 'less' : 'more';
    return (
      <span
        className="chance chance--unsure"
        title={`Cases like this one were kept ${direction} often than the steps left suggest; the class follows the steps left (the at-risk alert's rule). See the case for the forecast.`}
      >
        unsure
      </span>
    );
  }
  if (chance === null) {
    return (
      <span className="cell-empty" title={item.riskClass === 'fixed' ? 'Fixed: waiting for the customer' : 'No forecast for this case yet'}>
        —
      </span>
    );
  }
  return (
    <span className={chance < LIKELY_KEPT ? 'chance time-left--danger' : 'chance'} title="Chance of keeping the promise and meeting the need, given the case is still open">
      {Math.round(chance * 100)} %
    </span>
  );
}

/** The one legend: how the board is ranked, what the chance means and the timeline's shapes. */

function Stress({ level }: { level: number | null }) {
  if (level === null) return <span className="cell-empty">—</span>;
  return (
    <span className="stress" title={`Stress ${level} of 5`}>
      <span aria-hidden="true">
        {Array.from({ length: 5 }, (_, i) => (
          <span key={i} className={i < level ? 'stress__dot stress__dot--on' : 'stress__dot'} />
        ))}
      </span>
      <span className="sr-only">Stress {level} of 5</span>
    </span>
  );
}

export function BoardRow({
  item,
  now,
  active,
  index,
  formatTime,
  timeWindow,
  onFocusRow,
  onOpen,
  rowRef,
}: {
  item: BoardItemResponse;
  now: Date;
  active: boolean;
  index: number;
  formatTime: (iso: string) => string;
  timeWindow: TimeWindow;
  onFocusRow: (index: number) => void;
  onOpen: (item: BoardItemResponse) => void;
  rowRef: (el: HTMLTableRowElement | null) => void;
}) {
  const id = useId();
  const reasons = item.riskReasons.map((r) => REASON_TEXT[r]).join(', ');
  return (
    <tr
      ref={rowRef}
      data-testid="board-row"
      data-case-id={item.id}
      tabIndex={active ? 0 : -1}
      aria-current={active ? 'true' : undefined}
      aria-describedby={`${id}-summary`}
      data-risk-class={item.riskClass}
      className={['board-row', active ? 'is-active' : null, item.atRisk ? 'is-at-risk' : null].filter(Boolean).join(' ')}
      onFocus={() => onFocusRow(index)}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest('a')) return;
        onOpen(item);
      }}
    >
      <td className="col-risk">
        <div className="risk-line">
          <Badge tone={CLASS_TONE[item.riskClass]} icon={CLASS_ICON[item.riskClass]} title={reasons || undefined}>
            {CLASS_TEXT[item.riskClass]}
          </Badge>
          {reasons ? (
            <span className="risk-reasons" title={reasons}>
              {reasons}
            </span>
          ) : null}
        </div>
      </td>
      <td className="col-case">
        <div className="case-line">
          <Link className="case-ref" to={`/cases/${item.id}`} tabIndex={-1}>
            {item.reference}
          </Link>
          <span className="case-summary" title={item.summary}>
            {item.summary}
          </span>
          <span className="case-customer" title={`${item.customer.name} · ${item.category}`}>
            {item.customer.name}
          </span>
        </div>
        {/* The full summary: a tooltip on hover and while the row has focus, and the row's description. */}
        <span role="tooltip" id={`${id}-summary`} className="summary-tip">
          {item.summary} — {item.customer.name} · {item.category}
        </span>
      </td>
      <td className="col-priority" data-label="Priority">
        <PriorityCell priority={item.priority} />
      </td>
      <td className="col-status">
        <CaseStatusBadge status={item.status} pauseReason={item.pauseReason} />
      </td>
      <td className="col-stress">
        <Stress level={item.stressLevel} />
      </td>
      <td className="col-left col-left--promise" data-label="Promise">
        <TimeLeft minutes={item.businessMinutesToPromise} paused={item.status === 'paused'} />
      </td>
      <td className="col-left col-left--need" data-label="Need">
        <TimeLeft minutes={item.businessMinutesToNeed} paused={item.status === 'paused'} />
      </td>
      <td className="col-keep" data-label="Chance">
        <ChanceCell item={item} />
      </td>
      <td className="col-timeline">
        <FourTimesChart times={item} now={now} formatTime={formatTime} window={timeWindow} />
      </td>
      <td className="col-engineer">
        {item.assignee ? (
          <span title={item.assignee.team ? `${item.assignee.name} · ${item.assignee.team}` : item.assignee.name}>
            {item.assignee.name}
            {item.assignee.team ? (
              <>
                <span className="muted"> · </span>
                <span className="cell-sub muted">{item.assignee.team}</span>
              </>
            ) : null}
          </span>
        ) : (
          <span className="cell-empty">Not sent</span>
        )}
      </td>
    </tr>
  );
}
