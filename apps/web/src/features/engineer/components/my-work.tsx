import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { BoardResponse, CaseDetailResponse, MilestoneKind } from '@kept/contracts';
import {
  caseClock,
  stepDeadlines as deadlinesOnCalendar,
  VISIT_STEPS,
  type BusinessCalendar,
  type Pause,
  type StepMilestone,
} from '@kept/domain';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { useSession } from '@/hooks/use-session';
import { apiRequest, errorMessage } from '@/lib/api-client';
import { useContractCalendar } from '../api/case-calendar';
import { formatDuration, formatInstant, formatTimeLeft } from '@/lib/format';

type Step = { kind: StepMilestone; label: string; closes: boolean };

const STEP_LABEL: Record<StepMilestone, string> = {
  arrived: 'Arrived on site',
  diagnosed: 'Problem diagnosed',
  fixed: 'Fix done',
  test_passed: 'First test passed',
};

/** The engineer's steps on site, in visit order; the last one is the first successful test (the case is fixed). */
const STEPS: Step[] = VISIT_STEPS.map((s, i) => ({ kind: s.milestone, label: STEP_LABEL[s.milestone], closes: i === VISIT_STEPS.length - 1 }));

/**
 * Latest time for each step, counted back from the promise with its breakdown on the case's clock
 * (`caseClock`: the contract's business calendar, else 24/7 in the site's zone), skipping the pauses
 * that have ended: closed hours and pauses do not count as time for the work.
 */
export function stepDeadlines(
  detail: CaseDetailResponse,
  contractCalendar: BusinessCalendar | null,
): { kind: MilestoneKind; by: Date }[] | null {
  // A re-promise may come without a new breakdown: the latest breakdown still describes the steps.
  const b = [...detail.promises].reverse().find((p) => p.breakdown)?.breakdown;
  if (!detail.promisedAt || !b) return null;
  const { calendar } = caseClock({ contractCalendar, siteZone: detail.site?.timeZone });
  const pauses: Pause[] = detail.pauses.filter((p) => p.to !== null).map((p) => ({ from: new Date(p.from), to: new Date(p.to as string) }));
  return deadlinesOnCalendar(new Date(detail.promisedAt), b, calendar, pauses).map((d) => ({ kind: d.milestone, by: d.by }));
}

function WorkCard({ caseId, now }: { caseId: string; now: Date }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['case', caseId],
    queryFn: ({ signal }) => apiRequest<CaseDetailResponse>(`/cases/${caseId}`, { signal }),
  });
  const contractCalendar = useContractCalendar(query.data?.contractId ?? null);
  const record = useMutation({
    mutationFn: async ({ detail, step }: { detail: CaseDetailResponse; step: Step }) => {
      let current = await apiRequest<CaseDetailResponse>(`/cases/${detail.id}/milestones`, {
        method: 'POST',
        body: { kind: step.kind },
        headers: { 'If-Match': `W/"${detail.version}"` },
      });
      if (step.closes) {
        current = await apiRequest<CaseDetailResponse>(`/cases/${detail.id}/fixed`, {
          method: 'POST',
          body: { reason: 'First successful test' },
          headers: { 'If-Match': `W/"${current.version}"` },
        });
      }
      return current;
    },
    onSuccess: (detail) => {
      queryClient.setQueryData(['case', detail.id], detail);
      void queryClient.invalidateQueries({ queryKey: ['board'] });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: ['case', caseId] }),
  });

  if (query.isPending)
    return (
      <li className="work-card">
        <Spinner label="Loading the case" />
      </li>
    );
  if (query.isError)
    return (
      <li className="work-card">
        <Alert>{errorMessage(query.error)}</Alert>
      </li>
    );
  const detail = query.data;
  const done = new Set(detail.milestones.map((m) => m.kind));
  const next = detail.status === 'fixed' ? null : (STEPS.find((s) => !done.has(s.kind)) ?? null);
  const deadlines = contractCalendar.calendar === undefined ? null : stepDeadlines(detail, contractCalendar.calendar);
  // The engineer works at the site: its zone, named (the viewer's when the case has no site).
  const siteZone = detail.site?.timeZone;
  const fmt = (d: Date | string) => formatInstant(typeof d === 'string' ? d : d.toISOString(), siteZone ? { timeZone: siteZone } : {}) ?? '';
  const left = detail.promisedAt ? (new Date(detail.promisedAt).getTime() - now.getTime()) / 60_000 : null;

  return (
    <li className="work-card" data-testid="work-card">
      <h2>
        <Link to={`/cases/${detail.id}`}>
          <span className="case-header__ref">{detail.reference}</span> {detail.summary}
        </Link>
      </h2>
      <p className="muted">
        {detail.customer.name}
        {detail.site ? ` · ${detail.site.name}` : ''}
      </p>
      {detail.context ? <p className="work-card__context">“{detail.context}”</p> : null}
      <p className="work-card__promise">
        Promised: <strong>{detail.promisedAt ? fmt(detail.promisedAt) : 'no promise yet'}</strong>
        {left !== null ? (
          <span className={left < 0 ? 'time-left--danger' : undefined}> · {formatTimeLeft(left)}</span>
        ) : null}
      </p>
      <p className="muted work-card__hint">
        {contractCalendar.isError
          ? 'The contract’s business hours could not be loaded, so no step times are shown.'
          : 'Latest time for each step, counted back from the promise:'}
      </p>
      <ol className="work-steps">
        {STEPS.map((s, i) => {
          const by = deadlines?.[i]?.by;
          const milestone = detail.milestones.find((m) => m.kind === s.kind);
          return (
            <li key={s.kind} className={milestone ? 'is-done' : s === next ? 'is-next' : undefined}>
              <span>{s.label}</span>
              <span className="muted">
                {milestone
                  ? `done ${fmt(milestone.at)}`
                  : by
                    ? `by ${fmt(by)}${by.getTime() < now.getTime() ? ` (${formatDuration((now.getTime() - by.getTime()) / 60_000)} late)` : ''}`
                    : ''}
              </span>
            </li>
          );
        })}
      </ol>
      {record.isError ? <Alert title="Not recorded">{errorMessage(record.error)}</Alert> : null}
      {next ? (
        <Button
          className="work-card__action"
          busy={record.isPending}
          onClick={() => record.mutate({ detail, step: next })}
        >
          {next.label}
        </Button>
      ) : (
        <p className="gap-list__item--ok">Fixed: waiting for the customer to confirm.</p>
      )}
    </li>
  );
}

/** The engineer's phone view: the cases dispatched to them, the exact promise and each step's latest time. */
export function MyWork() {
  const { session } = useSession();
  const me = session?.user.id ?? '';
  const board = useQuery({
    queryKey: ['board', 'mine', me],
    queryFn: ({ signal }) => apiRequest<BoardResponse>('/board', { query: { engineerId: me }, signal }),
    enabled: Boolean(me),
  });
  const now = board.data ? new Date(board.data.now) : new Date();
  return (
    <section className="my-work" aria-labelledby="my-work-heading">
      <h1 id="my-work-heading">My work</h1>
      {board.isPending ? (
        <Spinner size="md" label="Loading your cases" />
      ) : board.isError ? (
        <Alert title="Your cases could not be loaded">{errorMessage(board.error)}</Alert>
      ) : board.data.items.length === 0 ? (
        <div className="empty-state" role="status">
          <p className="empty-state__title">Nothing dispatched to you</p>
          <p className="empty-state__text">Cases appear here when a dispatcher sends you a promise.</p>
        </div>
      ) : (
        <ul className="work-list">
          {board.data.items.map((item) => (
            <WorkCard key={item.id} caseId={item.id} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
