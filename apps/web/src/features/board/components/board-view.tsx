import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { BoardCounts, BoardItemResponse, RiskClass } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { Spinner } from '@/components/ui/spinner';
import { formatInstant, timeZoneLabel, viewerTimeZone } from '@/lib/format';
import {
  activeFilterCount,
  EMPTY_BOARD_FILTERS,
  filtersFromParams,
  filtersToParams,
  useBoard,
  type BoardFilters,
} from '../api/get-board';
import { useSavedViews } from '../hooks/use-saved-views';
import { BoardFiltersBar } from './board-filters';
import { BoardSearch } from './board-search';
import { BoardRow, CLASS_TEXT } from './board-row';
import { boardTimeWindow, TimeScale } from './time-scale';

const COUNT_OF: Record<RiskClass, keyof BoardCounts> = { missed: 'missed', at_risk: 'atRisk', on_track: 'onTrack', fixed: 'fixed' };
const CLASSES: RiskClass[] = ['missed', 'at_risk', 'on_track', 'fixed'];

/** The exact count of each class, as chips that filter the board to that class (again: all classes). */
function ClassChips({ counts, active, onChange }: { counts: BoardCounts; active: RiskClass | ''; onChange: (next: RiskClass | '') => void }) {
  return (
    <div className="class-chips" role="group" aria-label="Risk classes">
      {CLASSES.map((c) => (
        <button
          key={c}
          type="button"
          className={['class-chip', `class-chip--${c}`, active === c ? 'is-active' : null].filter(Boolean).join(' ')}
          aria-pressed={active === c}
          onClick={() => onChange(active === c ? '' : c)}
        >
          {CLASS_TEXT[c]} <span className="class-chip__count">{counts[COUNT_OF[c]].toLocaleString('en')}</span>
        </button>
      ))}
    </div>
  );
}

export interface BoardViewProps {
  timeZone?: string;
  locale?: string;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) || el.isContentEditable;
}

function BoardLegend({ order }: { order: string }) {
  return (
    <div className="board-legend">
      <p className="board-legend__order" title={order}>
        <strong>Ranked:</strong> missed (past promise and need first) › at risk › on track › fixed; earliest deadline first.
      </p>
      <p className="timeline-legend" aria-hidden="true">
        <span>
          <svg width="12" height="12" viewBox="0 0 12 12">
            <path d="M6,0 l6,6 l-6,6 l-6,-6 z" className="ft-required" />
          </svg>{' '}
          need
        </span>
        <span>
          <svg width="12" height="12" viewBox="0 0 12 12">
            <circle cx="6" cy="6" r="4" className="ft-expected" />
          </svg>{' '}
          expected
        </span>
        <span>
          <svg width="12" height="12" viewBox="0 0 12 12">
            <path d="M6,11 l-5,-9 h10 z" className="ft-promised" />
          </svg>{' '}
          promise
        </span>
        <span>
          <svg width="12" height="12" viewBox="0 0 12 12">
            <line x1="6" x2="6" y1="0" y2="12" className="ft-now" />
          </svg>{' '}
          now
        </span>
        <span>
          <svg width="18" height="12" viewBox="0 0 18 12">
            <rect x="0" y="3" width="18" height="6" className="ft-band--late" />
          </svg>{' '}
          promise after need
        </span>
      </p>
    </div>
  );
}

/**
 * The dispatcher's board: open cases most urgent first, a page at a time ("Load more"), with the exact
 * count of each risk class (chips that filter), filters in the URL, saved views and j/k keys.
 */
export function BoardView({ timeZone, locale }: BoardViewProps) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const query = useBoard(filters);
  const { views, save, remove } = useSavedViews();
  const first = query.data?.pages[0];
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const now = useMemo(() => (first ? new Date(first.now) : new Date()), [first]);
  const zone = timeZone ?? viewerTimeZone();
  const formatTime = useCallback(
    (iso: string) => formatInstant(iso, { timeZone: zone, locale }) ?? iso,
    [zone, locale],
  );
  const [activeIndex, setActiveIndex] = useState(0);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const filterCount = activeFilterCount(filters);
  // The filters fold away (the rows matter most); open at first when a link or saved view sets some.
  const [filtersOpen, setFiltersOpen] = useState(filterCount > 0);
  const timeWindow = useMemo(() => boardTimeWindow(items, now), [items, now]);
  const filtersId = useId();

  const setFilters = (next: BoardFilters) => setParams(filtersToParams(next), { replace: true });
  const open = useCallback((item: BoardItemResponse) => void navigate(`/cases/${item.id}`), [navigate]);

  const move = useCallback(
    (delta: number) => {
      if (items.length === 0) return;
      const next = Math.max(0, Math.min(items.length - 1, activeIndex + delta));
      setActiveIndex(next);
      rows.current[next]?.focus();
    },
    [items.length, activeIndex],
  );

  useEffect(() => {
    if (activeIndex >= items.length && items.length > 0) setActiveIndex(items.length - 1);
  }, [items.length, activeIndex]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key === 'j' || event.key === 'ArrowDown') {
        event.preventDefault();
        move(1);
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        move(-1);
      } else if (event.key === 'Enter' && (event.target as HTMLElement)?.dataset?.testid === 'board-row') {
        event.preventDefault();
        const item = items[activeIndex];
        if (item) open(item);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [move, open, items, activeIndex]);

  const counts = first?.counts;
  const currentSearch = filtersToParams(filters).toString();
  const filtered = currentSearch !== '';

  let body;
  if (query.isPending) {
    body = (
      <div className="board-loading">
        <p className="sr-only" role="status">
          Loading the board…
        </p>
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="board-skeleton" />
        ))}
      </div>
    );
  } else if (query.isError && !query.data) {
    body = (
      <LoadError title="The board could not be loaded" error={query.error} onRetry={() => void query.refetch()} />
    );
  } else if (items.length === 0) {
    body = (
      <div className="empty-state" role="status">
        <p className="empty-state__title">{filtered ? 'No open cases match' : 'No open cases'}</p>
        <p className="empty-state__text">
          {filtered ? 'Try other filters.' : 'Every promise is closed. New calls appear here as they come in.'}
        </p>
        {filtered ? (
          <Button variant="secondary" onClick={() => setFilters(EMPTY_BOARD_FILTERS)}>
            Clear filters
          </Button>
        ) : null}
      </div>
    );
  } else {
    body = (
      <>
        {first ? <BoardLegend order={first.order} /> : null}
        <div className="table-scroll board-scroll">
          <table
            className={['board-table', query.isPlaceholderData ? 'is-stale' : null].filter(Boolean).join(' ')}
            data-search={currentSearch}
            aria-busy={query.isPlaceholderData || undefined}
          >
            <caption className="sr-only">
              Open cases, most urgent first: {first?.order} Time left is business time on each case’s calendar. Times in{' '}
              {timeZoneLabel({ timeZone: zone })}. Keys: j/k or arrows to move, Enter to open.
            </caption>
            <thead>
              <tr>
                <th scope="col">Risk</th>
                <th scope="col">Case</th>
                <th scope="col" className="col-priority">
                  Priority
                </th>
                <th scope="col" className="col-status">
                  Status
                </th>
                <th scope="col" className="col-stress">
                  Stress
                </th>
                <th scope="col">To promise</th>
                <th scope="col">To need</th>
                <th scope="col" className="col-keep">
                  <abbr title="Chance of keeping the promise and meeting the need, given the case is still open; shown when it agrees with the class">
                    Chance
                  </abbr>
                </th>
                <th scope="col" className="col-timeline">
                  <span className="sr-only">Timeline</span>
                  <TimeScale window={timeWindow} now={now.getTime()} />
                </th>
                <th scope="col">Engineer</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item, index) => (
                <BoardRow
                  key={item.id}
                  item={item}
                  index={index}
                  now={now}
                  active={index === activeIndex}
                  formatTime={formatTime}
                  timeWindow={timeWindow}
                  onFocusRow={setActiveIndex}
                  onOpen={open}
                  rowRef={(el) => {
                    rows.current[index] = el;
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
        <div className="board-more">
          {counts ? (
            <p className="muted" role="status">
              Showing {items.length.toLocaleString('en')} of {counts.total.toLocaleString('en')}
              {filters.riskClass ? ` (${CLASS_TEXT[filters.riskClass].toLowerCase()} only)` : ''}
            </p>
          ) : null}
          {query.hasNextPage ? (
            <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? 'Loading more…' : 'Load more'}
            </Button>
          ) : null}
        </div>
      </>
    );
  }

  return (
    <section className="board" aria-labelledby="board-heading">
      <div className="page-heading">
        <h1 id="board-heading">Board</h1>
        {counts ? (
          <p className="page-heading__meta" role="status">
            {counts.total.toLocaleString('en')} open {counts.total === 1 ? 'case' : 'cases'}, {counts.missed.toLocaleString('en')} missed,{' '}
            {counts.atRisk.toLocaleString('en')} at risk
          </p>
        ) : null}
        {query.isFetching && !query.isPending ? <Spinner label="Refreshing the board" /> : null}
        <div className="page-heading__actions">
          <Link className="button button--primary button--md" to="/cases/new">
            New case
          </Link>
        </div>
      </div>
      <div className="board-bar">
        <BoardSearch value={filters.q} onChange={(q) => setFilters({ ...filters, q })} />
        {counts ? <ClassChips counts={counts} active={filters.riskClass} onChange={(riskClass) => setFilters({ ...filters, riskClass })} /> : null}
        <Button
          variant="secondary"
          size="sm"
          className="board-bar__filters"
          aria-expanded={filtersOpen}
          aria-controls={filtersId}
          onClick={() => setFiltersOpen((o) => !o)}
        >
          Filters{filterCount ? ` (${filterCount})` : ''} <span aria-hidden="true">{filtersOpen ? '▴' : '▾'}</span>
        </Button>
      </div>
      <div id={filtersId} hidden={!filtersOpen}>
        <BoardFiltersBar
          filters={filters}
          facets={first?.facets}
          onChange={setFilters}
          views={views}
          currentSearch={currentSearch}
          onApplyView={(view) => setParams(new URLSearchParams(view.search), { replace: true })}
          onSaveView={(name) => save(name, currentSearch)}
          onDeleteView={remove}
        />
      </div>
      {body}
    </section>
  );
}
