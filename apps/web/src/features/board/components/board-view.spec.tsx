import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createBoard, createBoardItem } from '@/testing/factories/board.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { BoardView } from './board-view';

function renderBoard(handler: FetchHandler, route = '/board') {
  signIn({ accessToken: 'token-b' });
  const fetchMock = stubFetch(handler);
  const view = renderWithProviders(<BoardView timeZone="UTC" locale="en-US" />, { route, path: '/board' });
  return { fetchMock, ...view };
}

const urgent = createBoardItem({
  reference: 'K-2001',
  summary: 'Analyzer down before the audit',
  atRisk: true,
  riskClass: 'at_risk',
  riskReasons: ['promise_after_need', 'promise_at_risk'],
  businessMinutesToPromise: 45,
  businessMinutesToNeed: -20,
  assignee: { id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', team: 'Field team North' },
  requiredAt: '2026-11-23T11:40:00Z',
  promisedAt: '2026-11-23T12:45:00Z',
  gaps: {
    promisedMinusRequired: { wallMinutes: 65, businessMinutes: 65 },
    promisedMinusExpected: null,
    satisfiedMinusPromised: null,
    satisfiedMinusRequired: null,
    promise: 'open',
    need: 'missed',
    calendar: 'contract',
  },
});
const calm = createBoardItem({ reference: 'K-2002', summary: 'QC drift', businessMinutesToPromise: 600, keepProbability: 0.42 });
const paused = createBoardItem({ reference: 'K-2003', summary: 'Waiting for access', status: 'paused', pauseReason: 'Lab closed', businessMinutesToPromise: 90 });

describe('BoardView', () => {
  beforeEach(() => window.localStorage.clear());

  it('shows the open cases in the order the API ranks them, with risk, time left and a timeline each', async () => {
    const { fetchMock } = renderBoard(() => jsonResponse(createBoard([urgent, calm, paused])));

    expect(screen.getByText('Loading the board…')).toHaveAttribute('role', 'status');
    const rows = await screen.findAllByTestId('board-row');
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual(['K-2001', 'K-2002', 'K-2003']);
    expect(screen.getByText('3 open cases, 0 missed, 1 at risk')).toBeInTheDocument();
    expect(screen.getByRole('table')).toHaveAccessibleName(/most urgent first: Missed first, then at risk, on track and fixed; within each, the earliest deadline first/);

    const first = within(rows[0]);
    expect(first.getByText('At risk')).toBeInTheDocument();
    expect(first.getByText('Promise after the need, Promise at risk')).toBeInTheDocument();
    expect(first.getByText('45 min left')).toBeInTheDocument();
    expect(first.getByText('20 min over')).toBeInTheDocument();
    expect(first.getByText('Erik Engineer')).toBeInTheDocument();
    const chart = first.getByRole('img');
    expect(chart).toHaveAccessibleName(/needed by Mon 23 Nov, 11:40 UTC; promised by Mon 23 Nov, 12:45 UTC, 1 h 5 min after the need/);
    expect(first.getByTestId('promise-need-band')).toHaveClass('ft-band--late');
    expect(within(rows[1]).getByText('On track')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Not sent')).toBeInTheDocument();
    // On track beside a 42 % forecast would contradict itself: the row says the forecast differs instead.
    expect(within(rows[1]).queryByText('42 %')).not.toBeInTheDocument();
    expect(within(rows[1]).getByText('unsure')).toHaveAttribute('title', expect.stringMatching(/kept less often than the steps left suggest/));
    expect(within(rows[2]).getAllByText('clock stopped')).toHaveLength(2);
    expect(within(rows[2]).getByText('1 h 30 min left')).toBeInTheDocument();

    expect(requestsOf(fetchMock)[0].url.pathname).toBe('/api/v1/board');
  });

  it('shows the exact count of each class as chips that filter the board to that class', async () => {
    const counts = { missed: 12, atRisk: 345, onTrack: 59_000, fixed: 826, total: 60_183 };
    const { fetchMock } = renderBoard(() => jsonResponse(createBoard([urgent], { counts })));
    await screen.findAllByTestId('board-row');
    expect(screen.getByText('60,183 open cases, 12 missed, 345 at risk')).toBeInTheDocument();
    const chips = within(screen.getByRole('group', { name: 'Risk classes' }));
    const missed = chips.getByRole('button', { name: 'Missed 12' });
    expect(chips.getByRole('button', { name: 'On track 59,000' })).toHaveAttribute('aria-pressed', 'false');

    fireEvent.click(missed);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/board?class=missed'));
    await waitFor(() => expect(requestsOf(fetchMock).at(-1)?.url.searchParams.get('risk')).toBe('missed'));
    expect(chips.getByRole('button', { name: 'Missed 12' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(chips.getByRole('button', { name: 'Missed 12' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/board$/));
  });

  it('loads the next page with the cursor and appends it, keeping j/k across pages', async () => {
    const second = createBoardItem({ reference: 'K-2004', summary: 'Next page' });
    const counts = { missed: 0, atRisk: 1, onTrack: 3, fixed: 0, total: 4 };
    const { fetchMock } = renderBoard((request) =>
      request.url.searchParams.get('cursor') === 'page-2'
        ? jsonResponse(createBoard([second], { counts }))
        : jsonResponse(createBoard([urgent, calm, paused], { counts, nextCursor: 'page-2' })),
    );
    expect(await screen.findAllByTestId('board-row')).toHaveLength(3);
    expect(screen.getByText('Showing 3 of 4')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('board-row')).toHaveLength(4));
    expect(requestsOf(fetchMock).at(-1)?.url.searchParams.get('cursor')).toBe('page-2');
    expect(screen.getByText('Showing 4 of 4')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    const rows = screen.getAllByTestId('board-row');
    for (let i = 0; i < 3; i++) fireEvent.keyDown(document.body, { key: 'j' });
    expect(rows[3]).toHaveFocus();
  });

  it('keeps the filters in the URL and sends them to the API', async () => {
    const { fetchMock } = renderBoard(() => jsonResponse(createBoard([urgent])), '/board?risk=1&category=calibration');
    await screen.findAllByTestId('board-row');
    expect(Object.fromEntries(requestsOf(fetchMock)[0].url.searchParams)).toEqual({ atRisk: 'true', category: 'calibration' });
    expect(screen.getByLabelText('At risk only')).toBeChecked();

    fireEvent.change(screen.getByLabelText('Engineer'), { target: { value: '33333333-3333-4333-8333-333333333333' } });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/board?category=calibration&engineer=33333333-3333-4333-8333-333333333333&risk=1',
      ),
    );
    await waitFor(() => expect(requestsOf(fetchMock).at(-1)?.url.searchParams.get('engineerId')).toBe('33333333-3333-4333-8333-333333333333'));
  });

  it('filters by the engineer’s team, kept in the URL, and names the team on the row', async () => {
    const { fetchMock } = renderBoard(() => jsonResponse(createBoard([urgent])), '/board?team=Field%20team%20South');
    const [row] = await screen.findAllByTestId('board-row');
    expect(within(row).getByText('Field team North')).toHaveClass('cell-sub');
    expect(requestsOf(fetchMock)[0].url.searchParams.get('team')).toBe('Field team South');
    // A team from a shared link stays selected even when the facets do not list it.
    expect(screen.getByLabelText('Team')).toHaveValue('Field team South');

    fireEvent.change(screen.getByLabelText('Team'), { target: { value: 'Field team North' } });
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/board?team=Field+team+North'));
    await waitFor(() => expect(requestsOf(fetchMock).at(-1)?.url.searchParams.get('team')).toBe('Field team North'));
    fireEvent.change(screen.getByLabelText('Team'), { target: { value: '' } });
    await waitFor(() => expect(requestsOf(fetchMock).at(-1)?.url.searchParams.has('team')).toBe(false));
  });

  it('saves the current filters as a named view and applies it again', async () => {
    renderBoard(() => jsonResponse(createBoard([urgent])), '/board?risk=1');
    await screen.findAllByTestId('board-row');

    fireEvent.click(screen.getByRole('button', { name: 'Save view' }));
    expect(screen.getByText('Name the view to save it')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Save these filters as'), { target: { value: 'Hot' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save view' }));
    expect(JSON.parse(window.localStorage.getItem('kept.board.views') ?? '[]')).toEqual([{ name: 'Hot', search: 'risk=1' }]);

    fireEvent.click(screen.getByLabelText('At risk only'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/board$/));
    fireEvent.change(screen.getByLabelText('Saved view'), { target: { value: 'Hot' } });
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/board?risk=1'));
  });

  it('moves through the rows with j/k and opens the active one with Enter', async () => {
    renderBoard(() => jsonResponse(createBoard([urgent, calm, paused])));
    const rows = await screen.findAllByTestId('board-row');

    fireEvent.keyDown(document.body, { key: 'j' });
    expect(rows[1]).toHaveFocus();
    fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    expect(rows[2]).toHaveFocus();
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(rows[2]).toHaveFocus();
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(rows[1]).toHaveFocus();
    expect(rows[1]).toHaveAttribute('aria-current', 'true');

    fireEvent.keyDown(rows[1], { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/cases/${calm.id}`));
  });

  it('ignores j/k while typing in a field', async () => {
    renderBoard(() => jsonResponse(createBoard([urgent, calm])));
    const rows = await screen.findAllByTestId('board-row');
    const input = screen.getByLabelText('Search cases');
    input.focus();
    fireEvent.keyDown(input, { key: 'j' });
    expect(input).toHaveFocus();
    expect(rows[0]).toHaveAttribute('aria-current', 'true');
  });

  it('says so when nothing is open, and offers to clear filters that hide everything', async () => {
    renderBoard(() => jsonResponse(createBoard([])), '/board?status=paused');
    expect(await screen.findByText('No open cases match')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/board$/));
  });

  it('shows the error and retries', async () => {
    let calls = 0;
    renderBoard(() => {
      calls += 1;
      return calls === 1 ? problemResponse({ status: 503, title: 'Unavailable' }) : jsonResponse(createBoard([calm]));
    });
    expect(await screen.findByText('The board could not be loaded')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('board-row')).toHaveLength(1);
  });

  describe('one risk signal per row (issue 13)', () => {
    const row = (overrides: Parameters<typeof createBoardItem>[0]) => createBoardItem({ summary: 'Probe', ...overrides });

    it('never shows "On track" beside a low chance nor "At risk" beside a high one; missed reads 0 %', async () => {
      const items = [
        row({ reference: 'K-1', riskClass: 'missed', atRisk: true, riskReasons: ['promise_overdue', 'need_overdue'], keepProbability: 0.8 }),
        row({ reference: 'K-2', riskClass: 'at_risk', atRisk: true, riskReasons: ['need_at_risk'], keepProbability: 1 }),
        row({ reference: 'K-3', riskClass: 'at_risk', atRisk: true, riskReasons: ['promise_at_risk'], keepProbability: 0.31 }),
        row({ reference: 'K-4', riskClass: 'on_track', keepProbability: 0.43 }),
        row({ reference: 'K-5', riskClass: 'on_track', keepProbability: 0.93 }),
        row({ reference: 'K-6', riskClass: 'on_track', keepProbability: null }),
      ];
      renderBoard(() => jsonResponse(createBoard(items)));
      const rows = await screen.findAllByTestId('board-row');
      const chance = rows.map((r) => r.querySelector('.col-keep')?.textContent?.trim());
      expect(chance).toEqual(['0 %', 'unsure', '31 %', 'unsure', '93 %', '—']);
      // Whatever the forecast: an "On track" row shows no chance below 50 %, an "At risk" row none at or above it.
      for (const r of rows) {
        const shown = /(\d+) %/.exec(r.querySelector('.col-keep')?.textContent ?? '');
        if (!shown) continue;
        const pct = Number(shown[1]);
        if (within(r).queryByText('On track')) expect(pct).toBeGreaterThanOrEqual(50);
        if (within(r).queryByText('At risk')) expect(pct).toBeLessThan(50);
      }
      expect(within(rows[1]).getByText('unsure')).toHaveAttribute('title', expect.stringMatching(/kept more often/));
    });

    it('states the ranking rule once, above the table', async () => {
      renderBoard(() => jsonResponse(createBoard([urgent, calm])));
      await screen.findAllByTestId('board-row');
      expect(screen.getByText(/missed \(past promise and need first\) › at risk › on track › fixed; earliest deadline first/)).toBeInTheDocument();
      expect(screen.getAllByText('need')).toHaveLength(1);
    });
  });

  describe('a dense board (issue 13)', () => {
    it('shows priority, a time scale over the timelines, and the full summary on hover and focus', async () => {
      const long = createBoardItem({
        reference: 'K-3001',
        priority: 'urgent',
        summary: 'Centrifuge rotor imbalance alarm after every third run, the lab has moved urgent samples to the night shift',
      });
      renderBoard(() => jsonResponse(createBoard([long])));
      const [r] = await screen.findAllByTestId('board-row');
      expect(within(r).getByText('Urgent')).toHaveClass('priority--urgent');
      // The cut summary carries the whole text as its title, and the row (focusable) is described by it.
      expect(within(r).getByText(long.summary, { selector: '.case-summary' })).toHaveAttribute('title', long.summary);
      expect(r).toHaveAccessibleDescription(new RegExp(`^${long.summary}`));
      expect(screen.getByRole('tooltip', { hidden: true })).toHaveTextContent(long.summary);
      const scale = screen.getByTestId('time-scale');
      expect(within(scale as unknown as HTMLElement).getByText('now')).toBeInTheDocument();
    });

    it('folds the filters away behind a button that says how many are set', async () => {
      renderBoard(() => jsonResponse(createBoard([urgent])));
      await screen.findAllByTestId('board-row');
      const toggle = screen.getByRole('button', { name: /^Filters/ });
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      expect(screen.queryByRole('group', { name: 'Filter the board' })).not.toBeInTheDocument();
      fireEvent.click(toggle);
      expect(toggle).toHaveAttribute('aria-expanded', 'true');
      fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'calibration' } });
      await waitFor(() => expect(screen.getByRole('button', { name: /^Filters \(1\)/ })).toBeInTheDocument());
    });

    it('searches on the server after a pause in typing, never with a single letter', async () => {
      const { fetchMock } = renderBoard(() => jsonResponse(createBoard([urgent])));
      await screen.findAllByTestId('board-row');
      const search = screen.getByLabelText('Search cases');
      fireEvent.change(search, { target: { value: 'a' } });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(requestsOf(fetchMock).some((r) => r.url.searchParams.has('q'))).toBe(false);
      fireEvent.change(search, { target: { value: 'audit' } });
      await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/board?q=audit'));
      await waitFor(() => expect(requestsOf(fetchMock).at(-1)?.url.searchParams.get('q')).toBe('audit'));
      // A reference or a bare case number is searchable as it is.
      fireEvent.change(search, { target: { value: '7' } });
      await waitFor(() => expect(requestsOf(fetchMock).at(-1)?.url.searchParams.get('q')).toBe('7'));
    });
  });
});
