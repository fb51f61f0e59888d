import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { CaseDetailResponse, GapResponse } from '@kept/contracts';
import { STEP_BREAKDOWN_KEYS } from '@kept/domain';
import { CaseStatusBadge } from '@/components/case-status-badge';
import { FourTimesChart } from '@/components/four-times/four-times-chart';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { useSession } from '@/hooks/use-session';
import { ApiError, errorMessage } from '@/lib/api-client';
import { formatDuration, formatInstant, humanize, timeZoneLabel, viewerTimeZone } from '@/lib/format';
import { useCase } from '../api/get-case';
import { CaseActions } from './case-actions';
import { CaseAssignment } from './case-assignment';
import { PriorityLabel } from './priority-label';
import { CustomerFeedbackSection } from './customer-feedback-section';
import { StatusLinkSection } from './status-link-section';
import { FieldSection } from './field-section';
import { TableScroll } from '@/components/ui/table-scroll';

export interface CasePageProps {
  caseId: string;
  timeZone?: string;
  locale?: string;
  /**
   * The case's alerts, rendered into the page's Alerts panel. Alerts are another feature, and features do
   * not import each other: the app's case route composes them (app/routes/case.tsx). Without it, no panel.
   */
  renderAlerts?: (props: { caseId: string; canAct: boolean }) => ReactNode;
  /** Goodwill, options and the root cause (the recovery feature), composed by the app's case route like the alerts. */
  renderRecovery?: (props: { caseId: string; canAct: boolean; missed: boolean }) => ReactNode;
}

const FIELD_LABEL: Record<string, string> = {
  requiredAt: 'Need',
  expectedAt: 'Expectation',
  promisedAt: 'Promise',
  satisfiedAt: 'Satisfied',
  fixedAt: 'Fixed',
  status: 'Status',
  assignee: 'Assignee',
  proposal: 'Proposal to the customer',
  survey: 'Survey',
};

/** Notes written before the assignment became data (cases.assignee_id) carry the engineer's id; people need only the name. */
export function readableNote(note: string): string {
  return note.replace(/^(Assigned to .+?) \[[0-9a-f-]{36}\]/, '$1');
}

function gapWords(gap: GapResponse | null, later: string, earlier: string): string | null {
  if (!gap) return null;
  const wall = gap.wallMinutes;
  if (Math.abs(wall) < 1) return `${later} at the same time as ${earlier}`;
  const business = Math.abs(gap.businessMinutes - wall) >= 1 ? ` (${formatDuration(gap.businessMinutes)} of business time)` : '';
  return `${later} ${formatDuration(wall)} ${wall > 0 ? 'after' : 'before'} ${earlier}${business}`;
}

/** The gaps between the four times, in words. */
export function GapSentences({ detail, now }: { detail: CaseDetailResponse; now: Date }) {
  const g = detail.gaps;
  const lines: { key: string; text: string; tone: 'ok' | 'bad' | 'neutral' }[] = [];
  const pr = gapWords(g.promisedMinusRequired, 'We promised', 'her need');
  if (pr) lines.push({ key: 'pr', text: pr, tone: (g.promisedMinusRequired?.wallMinutes ?? 0) > 0 ? 'bad' : 'ok' });
  const pe = gapWords(g.promisedMinusExpected, 'We promised', 'what she expects');
  if (pe) lines.push({ key: 'pe', text: pe, tone: 'neutral' });
  if (g.promise === 'kept') lines.push({ key: 'sp', text: `Promise kept: ${gapWords(g.satisfiedMinusPromised, 'satisfied', 'the promise')}`, tone: 'ok' });
  if (g.promise === 'missed') lines.push({ key: 'sp', text: `Promise missed: ${gapWords(g.satisfiedMinusPromised, 'satisfied', 'the promise') ?? 'not satisfied by the promised time'}`, tone: 'bad' });
  if (g.need === 'kept') lines.push({ key: 'sr', text: 'Need met: satisfied by the time she needed it.', tone: 'ok' });
  if (g.need === 'missed') lines.push({ key: 'sr', text: 'Need missed: not satisfied by the time she needed it.', tone: 'bad' });
  if (g.promise === 'open' && detail.promisedAt) {
    const left = (new Date(detail.promisedAt).getTime() - now.getTime()) / 60_000;
    lines.push({
      key: 'now',
      text: left >= 0 ? `${formatDuration(left)} left until the promise.` : `The promise is ${formatDuration(left)} overdue.`,
      tone: left >= 0 ? 'neutral' : 'bad',
    });
  }
  if (!detail.promisedAt) lines.push({ key: 'np', text: 'No promise has been made yet.', tone: 'bad' });
  if (lines.length === 0) return null;
  return (
    <ul className="gap-list" aria-label="Gaps">
      {lines.map((l) => (
        <li key={l.key} className={`gap-list__item gap-list__item--${l.tone}`}>
          <span aria-hidden="true">{l.tone === 'bad' ? '✕' : l.tone === 'ok' ? '✓' : '•'}</span> {l.text}
        </li>
      ))}
    </ul>
  );
}

export function CasePage({ caseId, timeZone, locale, renderAlerts, renderRecovery }: CasePageProps) {
  const query = useCase(caseId);
  const { session } = useSession();
  const viewerZone = timeZone ?? viewerTimeZone();
  const detail = query.data;
  const siteZone = detail?.site?.timeZone ?? null;
  const now = useMemo(() => new Date(query.dataUpdatedAt || Date.now()), [query.dataUpdatedAt]);
  const fmt = (iso: string | null, zone = viewerZone) => (iso ? (formatInstant(iso, { timeZone: zone, locale }) ?? '—') : '—');

  if (query.isPending) {
    return (
      <div className="case-page">
        <p className="sr-only" role="status">
          Loading the case…
        </p>
        <Skeleton width="30%" />
        <Skeleton width="60%" />
        <Skeleton className="board-skeleton" />
      </div>
    );
  }
  if (query.isError || !detail) {
    const notFound = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <Alert
        title={notFound ? 'Case not found' : 'The case could not be loaded'}
        action={
          notFound ? (
            <Link className="button button--secondary button--md" to="/board">
              Back to the board
            </Link>
          ) : (
            <Button variant="secondary" onClick={() => void query.refetch()}>
              Try again
            </Button>
          )
        }
      >
        {notFound ? 'There is no case at this address.' : errorMessage(query.error)}
      </Alert>
    );
  }

  const role = session?.user.role;
  // Dispatching roles act on alerts and status links; engineers also record milestones (viewers only read).
  const dispatches = role === 'admin' || role === 'manager' || role === 'dispatcher';
  const canAct = dispatches || role === 'engineer';
  const current = detail.promises.at(-1);
  const rows: [string, string | null][] = [
    ['Opened', detail.openedAt],
    ['Need (required)', detail.requiredAt],
    ['Expected', detail.expectedAt],
    ['Promised', detail.promisedAt],
    ['Fixed', detail.fixedAt],
    ['Satisfied', detail.satisfiedAt],
  ];

  return (
    <article className="case-page" aria-labelledby="case-heading">
      <title>{`${detail.reference} · Kept`}</title>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/board">Board</Link> <span aria-hidden="true">›</span> <span>{detail.reference}</span>
      </nav>
      <header className="case-header">
        <div>
          <h1 id="case-heading">
            <span className="case-header__ref">{detail.reference}</span> {detail.summary}
          </h1>
          <p className="case-header__meta">
            {detail.customer.name}
            {detail.site ? ` · ${detail.site.name}` : ''} · {detail.category} · <PriorityLabel priority={detail.priority} /> ·{' '}
            {detail.stressLevel ? `stress ${detail.stressLevel}/5` : 'stress not recorded'}
          </p>
        </div>
        <CaseStatusBadge status={detail.status} pauseReason={detail.pauseReason} />
      </header>
      {detail.status === 'paused' && detail.pauseReason ? (
        <Alert tone="info" title="Paused: the clock is stopped">
          {detail.pauseReason}
        </Alert>
      ) : null}
      {detail.context ? (
        <blockquote className="case-context">
          <p>{detail.context}</p>
          <footer>In the customer’s words</footer>
        </blockquote>
      ) : null}

      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">The four times</h2>
        <FourTimesChart
          variant="full"
          times={detail}
          now={now}
          milestones={detail.milestones}
          pauses={detail.pauses}
          earlierPromises={detail.promises.slice(0, -1)}
          formatTime={(iso) => fmt(iso)}
        />
        <p className="four-times-legend">
          ◆ need · ○ expected · ▼ promise (dashed ▽: earlier promises) · ■ fixed · ● satisfied · dashed line: now ·
          shaded: paused · band between promise and need: red when the promise is after the need
        </p>
        <GapSentences detail={detail} now={now} />
        <table className="times-table">
          <caption className="sr-only">The case’s times in your zone and the site’s zone</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Yours: {timeZoneLabel({ timeZone: viewerZone })}</th>
              {siteZone ? <th scope="col">Site: {timeZoneLabel({ timeZone: siteZone })}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, iso]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{iso ? <time dateTime={iso}>{fmt(iso)}</time> : <span className="cell-empty">Not set</span>}</td>
                {siteZone ? <td>{iso ? <time dateTime={iso}>{fmt(iso, siteZone)}</time> : <span className="cell-empty">Not set</span>}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {detail.expectationSource ? <p className="muted">Expectation source: {humanize(detail.expectationSource)}.</p> : null}
        {current?.breakdown ? (
          <p className="muted">
            Promise breakdown:{' '}
            {STEP_BREAKDOWN_KEYS
              .filter((k) => current.breakdown?.[k] !== undefined)
              .map((k) => `${k.replace('Minutes', '')} ${formatDuration(current.breakdown?.[k] ?? 0)}`)
              .join(' · ')}
          </p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="assignment-heading">
        <h2 id="assignment-heading">Assignment</h2>
        <CaseAssignment detail={detail} canAssign={dispatches} />
      </section>

      <section className="panel" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions</h2>
        <CaseActions detail={detail} canAct={canAct} />
      </section>

      {renderAlerts ? (
        <section className="panel" aria-labelledby="case-alerts-heading">
          <h2 id="case-alerts-heading">Alerts</h2>
          {renderAlerts({ caseId: detail.id, canAct: dispatches })}
        </section>
      ) : null}

      {renderRecovery ? (
        <section className="panel" aria-labelledby="recovery-heading">
          <h2 id="recovery-heading">Goodwill and root cause</h2>
          {renderRecovery({ caseId: detail.id, canAct, missed: detail.gaps.promise === 'missed' || detail.gaps.need === 'missed' })}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="status-link-heading">
        <h2 id="status-link-heading">Status link</h2>
        <StatusLinkSection caseId={detail.id} canAct={dispatches} />
      </section>

      <section className="panel" aria-labelledby="customer-heading">
        <h2 id="customer-heading">The customer's answers</h2>
        <CustomerFeedbackSection caseId={detail.id} canAct={dispatches} closed={detail.status === 'satisfied' || detail.status === 'cancelled'} />
      </section>

      <section className="panel" aria-labelledby="field-heading">
        <h2 id="field-heading">From the field</h2>
        <FieldSection detail={detail} canAct={dispatches} />
      </section>

      <div className="case-columns">
        <section className="panel" aria-labelledby="milestones-heading">
          <h2 id="milestones-heading">Milestones</h2>
          {detail.milestones.length === 0 ? (
            <p className="muted">No milestones yet.</p>
          ) : (
            <ol className="event-list">
              {detail.milestones.map((m) => (
                <li key={m.id}>
                  <strong>{humanize(m.kind)}</strong> <time dateTime={m.at}>{fmt(m.at)}</time>
                  {m.actor.name ? ` · ${m.actor.name}` : ''}
                  {m.note ? <span className="event-list__note">{readableNote(m.note)}</span> : null}
                </li>
              ))}
            </ol>
          )}
          <h3>Pauses</h3>
          {detail.pauses.length === 0 ? (
            <p className="muted">Never paused.</p>
          ) : (
            <ol className="event-list">
              {detail.pauses.map((p) => (
                <li key={p.id}>
                  {fmt(p.from)} – {p.to ? fmt(p.to) : 'now'} · {p.reason}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="panel" aria-labelledby="ledger-heading">
          <h2 id="ledger-heading">Ledger</h2>
          <TableScroll label="Ledger">
            <table className="ledger-table" data-testid="ledger">
              <caption className="sr-only">Every change to the case’s times, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">From → to</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Customer</th>
                </tr>
              </thead>
              <tbody>
                {detail.ledger.map((e) => {
                  const isTime = e.field !== 'status' && e.field !== 'assignee' && e.field !== 'survey';
                  const value = (v: string | null, label: string | null) =>
                    e.field === 'assignee' ? (label ?? 'Unassigned') : v === null ? '—' : e.field === 'survey' ? v : isTime ? fmt(v) : humanize(v);
                  return (
                    <tr key={e.id} data-testid="ledger-row">
                      <td>{fmt(e.at)}</td>
                      <td>{e.actor.name ?? humanize(e.actor.kind)}</td>
                      <td>
                        {FIELD_LABEL[e.field] ?? e.field}
                        {e.field === 'promisedAt' ? ` v${e.promiseVersion}` : ''}
                      </td>
                      <td>
                        {value(e.oldValue, e.oldLabel)} → {value(e.newValue, e.newLabel)}
                      </td>
                      <td>{e.reason ?? ''}</td>
                      <td>{e.customerAccepted ? humanize(e.customerAccepted === 'yes' ? 'accepted' : e.customerAccepted) : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        </section>
      </div>
    </article>
  );
}
