import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { getSessionState } from '@/lib/session';
import { createCasePage, createCaseSummary } from '@/testing/factories/case-summary.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { CasesView } from './cases-view';

function renderCases(handler: FetchHandler, route = '/cases') {
  signIn({ accessToken: 'token-123' });
  const fetchMock = stubFetch(handler);
  const view = renderWithProviders(<CasesView timeZone="UTC" locale="en-US" searchDelayMs={20} />, {
    route,
    path: '/cases',
  });
  return { fetchMock, ...view };
}

const pageOf = (count: number, nextCursor: string | null = null, prefix = 'K-1') =>
  createCasePage(
    Array.from({ length: count }, (_, index) =>
      createCaseSummary({ reference: `${prefix}${String(index).padStart(3, '0')}` }),
    ),
    nextCursor,
  );

describe('CasesView', () => {
  it('lists the open and paused cases of the signed-in user', async () => {
    const { fetchMock } = renderCases(() => jsonResponse(pageOf(3)));

    expect(screen.getByText('Loading cases…')).toHaveAttribute('role', 'status');
    expect(await screen.findAllByTestId('case-row')).toHaveLength(3);
    expect(screen.getByRole('table')).toHaveAccessibleName(/^All open cases, newest opened first\. Times in UTC\.$/);
    expect(screen.getByText('All 3 cases shown')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();

    const [request] = requestsOf(fetchMock);
    expect(request.url.pathname).toBe('/api/v1/cases');
    expect(Object.fromEntries(request.url.searchParams)).toEqual({ limit: '50', status: 'open,paused' });
    expect(request.headers.get('authorization')).toBe('Bearer token-123');
  });

  it('shows an empty state when nothing matches', async () => {
    renderCases(() => jsonResponse(createCasePage([])));

    expect(await screen.findByText('No cases match')).toBeInTheDocument();
    expect(
      screen.getByText('There are no open or paused cases right now. Try another status or search.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).not.toBeInTheDocument();
  });

  it('shows an error with a retry that loads the cases', async () => {
    let calls = 0;
    renderCases(() => {
      calls += 1;
      return calls === 1
        ? problemResponse({
            status: 503,
            title: 'Service Unavailable',
            code: 'UNAVAILABLE',
            detail: 'database is down',
          })
        : jsonResponse(pageOf(2));
    });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cases could not be loaded');
    expect(alert).toHaveTextContent('Kept ran into a problem on its side. Try again in a moment.');
    expect(alert).not.toHaveTextContent('database is down');

    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findAllByTestId('case-row')).toHaveLength(2);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('loads the next page with the cursor and appends it', async () => {
    const { fetchMock } = renderCases(({ url }) =>
      url.searchParams.get('cursor') === 'cursor-2'
        ? jsonResponse(pageOf(2, null, 'K-2'))
        : jsonResponse(pageOf(50, 'cursor-2')),
    );

    expect(await screen.findAllByTestId('case-row')).toHaveLength(50);
    expect(screen.getByText('Showing the first 50 cases')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(screen.getAllByTestId('case-row')).toHaveLength(52));
    expect(screen.getByText('All 52 cases shown')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    const second = requestsOf(fetchMock)[1];
    expect(Object.fromEntries(second.url.searchParams)).toEqual({
      limit: '50',
      status: 'open,paused',
      cursor: 'cursor-2',
    });
  });

  it('filters by status and keeps the filter in the URL', async () => {
    const { fetchMock } = renderCases(({ url }) =>
      jsonResponse(
        url.searchParams.get('status') === 'fixed'
          ? createCasePage([createCaseSummary({ status: 'fixed' })])
          : pageOf(3),
      ),
    );
    await screen.findAllByTestId('case-row');

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'fixed' } });

    await waitFor(() => expect(screen.getAllByTestId('case-row')).toHaveLength(1));
    expect(screen.getByTestId('location')).toHaveTextContent('/cases?status=fixed');
    expect(requestsOf(fetchMock).at(-1)!.url.searchParams.get('status')).toBe('fixed');
    expect(screen.getByRole('table')).toHaveAccessibleName(/^Fixed cases/);
  });

  it('asks for any status without a status parameter', async () => {
    const { fetchMock } = renderCases(() => jsonResponse(pageOf(1)), '/cases?status=any');

    await screen.findAllByTestId('case-row');

    expect(screen.getByLabelText('Status')).toHaveValue('any');
    expect(requestsOf(fetchMock)[0].url.searchParams.has('status')).toBe(false);
  });

  it('searches once typing pauses, and offers to clear a search that finds nothing', async () => {
    const { fetchMock } = renderCases(({ url }) =>
      jsonResponse(url.searchParams.get('q') ? createCasePage([]) : pageOf(3)),
    );
    await screen.findAllByTestId('case-row');

    const search = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: 'ac' } });
    fireEvent.change(search, { target: { value: 'acme ' } });

    expect(await screen.findByText('No cases match')).toBeInTheDocument();
    expect(screen.getByText('No open or paused cases match “acme”. Try another status or search.')).toBeInTheDocument();
    const queries = requestsOf(fetchMock).map((request) => request.url.searchParams.get('q'));
    expect(queries).toEqual([null, 'acme']);
    // The address follows the search in the same debounced update: wait for it rather than race it.
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/cases?q=acme'));

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));

    expect(await screen.findAllByTestId('case-row')).toHaveLength(3);
    expect(search).toHaveValue('');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/cases$/);
  });

  it('starts from the search in the URL', async () => {
    const { fetchMock } = renderCases(() => jsonResponse(pageOf(1)), '/cases?q=K-1042');

    await screen.findAllByTestId('case-row');

    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('K-1042');
    expect(requestsOf(fetchMock)[0].url.searchParams.get('q')).toBe('K-1042');
  });

  it('ends the session when the API says the token is no longer valid', async () => {
    renderCases(() => problemResponse({ status: 401, title: 'Unauthorized', code: 'TOKEN_EXPIRED' }));

    await waitFor(() => expect(getSessionState()).toEqual({ session: null, endedBy: 'expired' }));
  });
});
