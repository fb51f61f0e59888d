import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { errorMessage } from '@/lib/api-client';
import { timeZoneLabel, viewerTimeZone, type FormatOptions } from '@/lib/format';
import { useCases } from '../api/get-cases';
import { DEFAULT_STATUS_FILTER, statusFilterFor } from '../status-filters';
import { CasesFilters } from './cases-filters';
import { CasesTable } from './cases-table';

export interface CasesViewProps {
  /** Defaults to the viewer's zone; tests pin it. */
  timeZone?: string;
  /** BCP 47 locale; defaults to the viewer's. */
  locale?: string;
  searchDelayMs?: number;
}

/** The case list: status filter and search (kept in the URL), the table, paging and every state in between. */
export function CasesView({ timeZone, locale, searchDelayMs = 300 }: CasesViewProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  const statusFilter = statusFilterFor(searchParams.get('status'));
  const [search, setSearch] = useState(() => searchParams.get('q') ?? '');
  const debouncedSearch = useDebouncedValue(search.trim(), searchDelayMs);
  // Enter applies the search at once; otherwise it follows typing after a pause.
  const [submittedSearch, setSubmittedSearch] = useState<string | null>(null);
  const q = submittedSearch ?? debouncedSearch;

  const updateParams = (status: string, nextQ: string) => {
    const next = new URLSearchParams();
    if (status !== DEFAULT_STATUS_FILTER.value) next.set('status', status);
    if (nextQ) next.set('q', nextQ);
    setSearchParams(next, { replace: true });
  };

  // Keep the applied search in the URL, so a reload or a shared link shows the same list.
  useEffect(() => {
    if ((searchParams.get('q') ?? '') === q) return;
    const next = new URLSearchParams(searchParams);
    if (q) next.set('q', q);
    else next.delete('q');
    setSearchParams(next, { replace: true });
  }, [q, searchParams, setSearchParams]);

  const filters = useMemo(() => ({ statuses: statusFilter.statuses, q }), [statusFilter, q]);
  const query = useCases(filters);
  const cases = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);

  const zone = timeZone ?? viewerTimeZone();
  const format: FormatOptions = useMemo(() => ({ timeZone: zone, locale }), [zone, locale]);
  // "Overdue" is judged against the time the data arrived, so rows do not change on every render.
  const now = useMemo(() => new Date(query.dataUpdatedAt || Date.now()), [query.dataUpdatedAt]);

  const scope = statusFilter.noun;
  const caption = `${statusFilter.statuses === null ? 'Cases of any status' : `${statusFilter.label} cases`}${
    q ? ` matching “${q}”` : ''
  }, newest opened first. Times in ${timeZoneLabel({ timeZone: zone })}.`;

  const changeStatus = (value: string) => updateParams(value, q);
  const changeSearch = (value: string) => {
    setSearch(value);
    setSubmittedSearch(null);
  };
  const clearFilters = () => {
    setSearch('');
    setSubmittedSearch('');
    updateParams(DEFAULT_STATUS_FILTER.value, '');
  };

  let body;
  if (query.isPending) {
    body = (
      <>
        <p className="sr-only" role="status">
          Loading cases…
        </p>
        <CasesTable cases={[]} caption={caption} format={format} now={now} loading />
      </>
    );
  } else if (query.isError && cases.length === 0) {
    body = (
      <LoadError title="Cases could not be loaded" error={query.error} onRetry={() => void query.refetch()} busy={query.isRefetching} />
    );
  } else if (cases.length === 0) {
    body = (
      <div className="empty-state" role="status">
        <p className="empty-state__title">No cases match</p>
        <p className="empty-state__text">
          {q ? `No ${scope} match “${q}”.` : `There are no ${scope} right now.`} Try another status or search.
        </p>
        {q || statusFilter !== DEFAULT_STATUS_FILTER ? (
          <Button variant="secondary" onClick={clearFilters}>
            Clear filters
          </Button>
        ) : null}
      </div>
    );
  } else {
    body = (
      <>
        <CasesTable cases={cases} caption={caption} format={format} now={now} stale={query.isPlaceholderData} />
        <div className="list-footer">
          <p className="list-footer__count" role="status">
            {query.isPlaceholderData
              ? 'Updating…'
              : query.hasNextPage
                ? `Showing the first ${cases.length} cases`
                : `All ${cases.length} ${cases.length === 1 ? 'case' : 'cases'} shown`}
          </p>
          {query.isFetchNextPageError ? (
            <Alert
              className="list-footer__error"
              action={
                <Button variant="secondary" size="sm" onClick={() => void query.fetchNextPage()}>
                  Try again
                </Button>
              }
            >
              More cases could not be loaded. {errorMessage(query.error)}
            </Alert>
          ) : query.hasNextPage ? (
            <Button variant="secondary" onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? 'Loading more…' : 'Load more'}
            </Button>
          ) : null}
        </div>
      </>
    );
  }

  return (
    <section className="cases" aria-labelledby="cases-heading">
      <div className="page-heading">
        <h1 id="cases-heading">Cases</h1>
        {query.isFetching && !query.isPending && !query.isFetchingNextPage ? (
          <Spinner label="Refreshing cases" />
        ) : null}
      </div>
      <CasesFilters
        status={statusFilter.value}
        onStatusChange={changeStatus}
        search={search}
        onSearchChange={changeSearch}
        onSearchSubmit={() => setSubmittedSearch(search.trim())}
      />
      {body}
    </section>
  );
}
