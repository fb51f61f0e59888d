import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { BoardResponse, CaseDetailResponse, MilestoneKind } from '@kept/contracts';
import {
  businessTimeBetween,
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
import { useCreateStatusLink } from '../api/hand-over';
import { formatDuration, formatInstant, formatTimeLeft, fromLocalInputValue, toLocalInputValue } from '@/lib/format';
import { TextField } from '@/components/ui/text-field';
import { useAskRepromise, useMyRepromiseRequests } from '../api/field';
import { AddPhoto, describeWaiting } from './add-photo';
import { STEP_LABEL } from './step-labels';
import { useTapQueue } from '../hooks/use-tap-queue';
import { discardTap, enqueueTaps, flushTaps, retryConflict, type QueuedTap, type TapInput } from '../offline/tap-queue';

type Step = { kind: StepMilestone; label: string; closes: boolean };


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

/** The ETA the engineer gives when leaving, as the milestone's note (the milestone's time is when he tapped). */
export function etaNote(eta: Date): string {
  return `ETA ${eta.toISOString()}`;
}

/** When the case's next step falls due (ms), or null when fixed or not known: My work is ordered by it. */
export function nextStepDue(detail: CaseDetailResponse, contractCalendar: BusinessCalendar | null): number | null {
  if (detail.status === 'fixed') return null;
  const done = new Set(detail.milestones.map((m) => m.kind));
  const i = STEPS.findIndex((s) => !done.has(s.kind));
  const deadlines = i < 0 ? null : stepDeadlines(detail, contractCalendar);
  return deadlines?.[i] ? deadlines[i].by.getTime() : null;
}

function WorkCard({
  caseId,
  now,
  taps,
  onNextDue,
}: {
  caseId: string;
  now: Date;
  taps: QueuedTap[];
  onNextDue: (caseId: string, due: number | null) => void;
}) {
  const queryClient = useQueryClient();
  const [etaMinutes, setEtaMinutes] = useState(30);
  const [more, setMore] = useState(false);
  const query = useQuery({
    queryKey: ['case', caseId],
    queryFn: ({ signal }) => apiRequest<CaseDetailResponse>(`/cases/${caseId}`, { signal }),
  });
  const contractCalendar = useContractCalendar(query.data?.contractId ?? null);
  const due = useMemo(
    () => (query.data && contractCalendar.calendar !== undefined ? nextStepDue(query.data, contractCalendar.calendar) : null),
    [query.data, contractCalendar.calendar],
  );
  useEffect(() => onNextDue(caseId, due), [caseId, due, onNextDue]);
  const record = useMutation({
    // Every tap goes through the IndexedDB queue first, online or not: one path, nothing lost in a basement.
    // The tap is done once it is in the queue (the next step shows at once); sending happens behind it.
    mutationFn: (input: TapInput[]) => enqueueTaps(input),
    // Queueing needs no network: React Query would otherwise hold the mutation while the phone is offline.
    networkMode: 'always',
    onSuccess: () =>
      void flushTaps().then((r) => {
        for (const d of r.sent) queryClient.setQueryData(['case', d.id], d);
        if (r.sent.length > 0) void queryClient.invalidateQueries({ queryKey: ['board'] });
      }),
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
  const waiting = taps.filter((t) => t.state === 'waiting');
  const conflicts = taps.filter((t) => t.state === 'conflict');
  const queuedKinds = new Set(taps.filter((t) => t.action === 'milestones').map((t) => t.body.kind as MilestoneKind));
  const queuedFix = taps.some((t) => t.action === 'fixed');
  const done = new Set([...detail.milestones.map((m) => m.kind), ...queuedKinds]);
  const closed = detail.status === 'fixed' || queuedFix;
  const next = closed ? null : (STEPS.find((s) => !done.has(s.kind)) ?? null);
  const onTheWay = !closed && !done.has('engineer_eta') && !done.has('arrived');
  const eta = detail.milestones.find((m) => m.kind === 'engineer_eta');
  const tap = (step: Step) => {
    const input: TapInput[] = [{ caseId: detail.id, baseVersion: detail.version, label: step.label, action: 'milestones', body: { kind: step.kind } }];
    if (step.closes) input.push({ caseId: detail.id, baseVersion: detail.version, label: 'Fixed', action: 'fixed', body: { reason: 'First successful test' } });
    record.mutate(input);
  };
  const leave = () =>
    record.mutate([
      {
        caseId: detail.id,
        baseVersion: detail.version,
        label: 'On my way',
        action: 'milestones',
        body: { kind: 'engineer_eta', note: etaNote(new Date(Date.now() + etaMinutes * 60_000)) },
      },
    ]);
  const deadlines = contractCalendar.calendar === undefined ? null : stepDeadlines(detail, contractCalendar.calendar);
  // The engineer works at the site: its zone, named (the viewer's when the case has no site).
  const siteZone = detail.site?.timeZone;
  // The budget left (or overrun) per step in business time on the case's clock, pauses that ended not counted.
  const clock = caseClock({ contractCalendar: contractCalendar.calendar ?? null, siteZone });
  const endedPauses: Pause[] = detail.pauses.filter((p) => p.to !== null).map((p) => ({ from: new Date(p.from), to: new Date(p.to as string) }));
  const budget = (from: Date, to: Date) => formatDuration(businessTimeBetween(from, to, clock.calendar, endedPauses));
  const inHours = clock.basis === 'business' ? ' of business time' : '';
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
          const queued = !milestone && queuedKinds.has(s.kind);
          const over = !milestone && !queued && by !== undefined && by.getTime() < now.getTime();
          return (
            <li key={s.kind} className={milestone || queued ? 'is-done' : s === next ? 'is-next' : undefined}>
              <span>{s.label}</span>
              <span className={over ? 'time-left--danger' : 'muted'}>
                {milestone
                  ? `done ${fmt(milestone.at)}`
                  : queued
                    ? 'tapped, waiting to send'
                    : by
                    ? over
                      ? `by ${fmt(by)} — ⚠ over by ${budget(by, now)}${inHours}`
                      : `by ${fmt(by)} · ${budget(now, by)}${inHours} left`
                    : ''}
              </span>
            </li>
          );
        })}
      </ol>
      {eta?.note ? <p className="muted">On the way: {eta.note}</p> : null}
      {waiting.length > 0 ? (
        <p className="work-card__waiting" role="status">
          {describeWaiting(waiting)} waiting to be sent
        </p>
      ) : null}
      {conflicts.map((c) => (
        <Alert key={c.seq} title={`“${c.label}” was not recorded`}>
          <p>{c.problem ?? 'The case changed meanwhile.'}</p>
          <div className="work-card__conflict-actions">
            <Button variant="secondary" onClick={() => void retryConflict(c.seq as number, detail.version).then(() => flushTaps())}>
              Send again on the case as it is now
            </Button>
            <Button variant="secondary" onClick={() => void discardTap(c.seq as number)}>
              Discard
            </Button>
          </div>
        </Alert>
      ))}
      {record.isError ? <Alert title="Not recorded">{errorMessage(record.error)}</Alert> : null}
      {onTheWay ? (
        <div className="work-card__eta">
          <label>
            ETA in minutes{' '}
            <input type="number" min={1} max={600} value={etaMinutes} onChange={(e) => setEtaMinutes(Math.max(1, Number(e.target.value) || 30))} />
          </label>
          <Button variant="secondary" onClick={leave}>
            On my way
          </Button>
        </div>
      ) : null}
      {next ? (
        <Button className="work-card__action" busy={record.isPending} onClick={() => tap(next)}>
          {next.label}
        </Button>
      ) : (
        <HandOver caseId={detail.id} fixed={detail.status === 'fixed'} />
      )}
      <details className="work-card__more" onToggle={(e) => setMore(e.currentTarget.open)}>
        <summary>Photo, note or re-promise</summary>
        {/* Loaded only when opened: a list of cards costs no extra requests. */}
        {more ? (
          <>
            <AddPhoto
              caseId={detail.id}
              baseVersion={detail.version}
              taps={taps}
              // The step just done: the last one tapped (maybe still waiting to be sent), else the last recorded.
              milestone={
                ([...taps].reverse().find((t) => t.action === 'milestones' && t.body.kind !== 'engineer_eta')?.body.kind as MilestoneKind | undefined) ??
                [...detail.milestones].reverse().find((m) => m.kind !== 'engineer_eta')?.kind ??
                null
              }
            />
            {closed ? null : <AskRepromise caseId={detail.id} promisedAt={detail.promisedAt} />}
          </>
        ) : null}
      </details>
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
  const queue = useTapQueue();
  // Cards report when their next step falls due; the list shows the soonest first (unknown and fixed last).
  const [dueOf, setDueOf] = useState<Record<string, number | null>>({});
  const onNextDue = useCallback((id: string, due: number | null) => setDueOf((m) => (m[id] === due ? m : { ...m, [id]: due })), []);
  const items = useMemo(() => {
    const list = board.data?.items ?? [];
    const key = (id: string) => dueOf[id] ?? Number.POSITIVE_INFINITY;
    return [...list].sort((a, b) => key(a.id) - key(b.id));
  }, [board.data, dueOf]);
  const waiting = queue.taps.filter((t) => t.state === 'waiting');
  return (
    <section className="my-work" aria-labelledby="my-work-heading">
      <h1 id="my-work-heading">My work</h1>
      {waiting.length > 0 ? (
        <p className="my-work__queue" role="status" data-testid="taps-waiting">
          {describeWaiting(waiting)} waiting to be sent — they go out in order when you are back online.
        </p>
      ) : null}
      {board.isPending && board.fetchStatus === 'paused' ? (
        <p className="muted" role="status">
          You are offline: your cases show when the connection returns. Taps you make are kept on this phone.
        </p>
      ) : board.isPending ? (
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
          {items.map((item) => (
            <WorkCard key={item.id} caseId={item.id} now={now} taps={queue.taps.filter((t) => t.caseId === item.id)} onNextDue={onNextDue} />
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * After the first passed test the customer takes over: she confirms on her status page. The engineer can
 * make her link here and send it (the phone's share sheet) or show it on his screen.
 */
function HandOver({ caseId, fixed }: { caseId: string; fixed: boolean }) {
  const link = useCreateStatusLink(caseId);
  if (!fixed) return <p className="muted">Fixed: waiting to be sent.</p>;
  const url = link.data ? new URL(link.data.url, window.location.origin).toString() : null;
  const share = (navigator as Navigator & { share?: (d: ShareData) => Promise<void> }).share;
  return (
    <div className="work-card__handover">
      <p className="gap-list__item--ok">Fixed: waiting for the customer to confirm.</p>
      {url ? (
        <>
          <p>
            Her status link: <a href={url}>{url}</a>
          </p>
          {share ? (
            <Button variant="secondary" onClick={() => void share.call(navigator, { title: 'Your service status', url }).catch(() => undefined)}>
              Send it to her
            </Button>
          ) : null}
        </>
      ) : (
        <Button variant="secondary" busy={link.isPending} onClick={() => link.mutate()}>
          Hand over: show or send her status link
        </Button>
      )}
      {link.isError ? <Alert title="No link made">{errorMessage(link.error)}</Alert> : null}
    </div>
  );
}

/** Ask dispatch for a new promise: the time he can keep and why. The dispatcher is alerted and answers. */
function AskRepromise({ caseId, promisedAt }: { caseId: string; promisedAt: string | null }) {
  const requests = useMyRepromiseRequests(caseId);
  const ask = useAskRepromise(caseId);
  const [openForm, setOpenForm] = useState(false);
  const base = promisedAt ? new Date(promisedAt) : new Date();
  const [time, setTime] = useState(toLocalInputValue(new Date(Math.max(base.getTime(), Date.now()) + 2 * 3_600_000)));
  const [reason, setReason] = useState('');
  const open = requests.data?.items.find((r) => r.state === 'open');
  const last = requests.data?.items.find((r) => r.state !== 'open');
  const proposedAt = fromLocalInputValue(time);
  if (open) {
    return (
      <p className="work-card__request" role="status">
        Re-promise asked for {formatInstant(open.proposedAt)} — waiting for dispatch.
      </p>
    );
  }
  return (
    <div className="work-card__ask">
      {last ? (
        <p className="muted">
          Your last request was {last.state === 'accepted' ? `accepted: new promise ${formatInstant(last.acceptedPromisedAt) ?? ''}` : `declined${last.decisionNote ? `: ${last.decisionNote}` : ''}`}.
        </p>
      ) : null}
      {openForm ? (
        <form
          className="work-card__ask-form"
          aria-label="Ask for a re-promise"
          onSubmit={(e) => {
            e.preventDefault();
            if (proposedAt && reason.trim()) ask.mutate({ proposedAt, reason: reason.trim() }, { onSuccess: () => setOpenForm(false) });
          }}
        >
          <TextField label="New time you can keep" type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} required />
          <TextField label="Why" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} required />
          <Button type="submit" busy={ask.isPending} disabled={!proposedAt || reason.trim() === ''}>
            Send to dispatch
          </Button>
          {ask.isError ? <Alert title="Not sent">{errorMessage(ask.error)}</Alert> : null}
        </form>
      ) : (
        <Button variant="ghost" onClick={() => setOpenForm(true)}>
          Ask for a re-promise
        </Button>
      )}
    </div>
  );
}
