import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createBoard, createBoardItem } from '@/testing/factories/board.factory';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import type { BusinessCalendar } from '@kept/domain';
import { formatInstant } from '@/lib/format';
import { MyWork, stepDeadlines } from './my-work';
import { tapDb } from '../offline/tap-queue';

const ERIK = { id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', email: 'e@x.test', role: 'engineer' as const };

describe('MyWork', () => {
  beforeEach(async () => {
    await tapDb.taps.clear();
    await tapDb.transitions.clear();
  });

  it('counts each step’s latest time back from the promise', () => {
    const detail = createCaseDetail({ promisedAt: '2026-11-23T15:00:00Z' });
    expect(stepDeadlines(detail, null)?.map((d) => d.by.toISOString())).toEqual([
      '2026-11-23T13:00:00.000Z', // arrive: 15:00 − test 30 − fix 60 − diagnosis 30
      '2026-11-23T13:30:00.000Z',
      '2026-11-23T14:30:00.000Z',
      '2026-11-23T15:00:00.000Z',
    ]);
    expect(stepDeadlines(createCaseDetail({ promises: [] }), null)).toBeNull();
    // A re-promise without a breakdown keeps the steps of the last one that had it.
    const repromised = createCaseDetail({ promisedAt: '2026-11-23T17:00:00Z' });
    repromised.promises = [...repromised.promises, { ...repromised.promises[0], version: 2, promisedAt: '2026-11-23T17:00:00Z', breakdown: null }];
    expect(stepDeadlines(repromised, null)?.[0].by.toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });

  // Mon–Fri 09:00–17:00 in New York; the promise is Monday 2026-11-23 10:00 EST (15:00Z).
  const nineToFive: BusinessCalendar = {
    timeZone: 'America/New_York',
    week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
    holidays: [],
  };

  it('counts back in business time on the contract calendar: closed hours are not time for the work', () => {
    const detail = createCaseDetail({ promisedAt: '2026-11-23T15:00:00Z' });
    expect(stepDeadlines(detail, nineToFive)?.map((d) => [d.kind, d.by.toISOString()])).toEqual([
      ['arrived', '2026-11-20T21:00:00.000Z'], // Fri 16:00: 120 min back = 60 on Monday morning + 60 on Friday
      ['diagnosed', '2026-11-20T21:30:00.000Z'], // Fri 16:30 (the wall clock would say Mon 08:30, before opening)
      ['fixed', '2026-11-23T14:30:00.000Z'], // Mon 09:30
      ['test_passed', '2026-11-23T15:00:00.000Z'],
    ]);
  });

  it('skips pauses that have ended', () => {
    const detail = createCaseDetail({
      promisedAt: '2026-11-23T15:00:00Z',
      pauses: [
        { id: 'p1', from: '2026-11-23T14:00:00Z', to: '2026-11-23T14:20:00Z', reason: 'Waiting for the customer' },
        { id: 'p2', from: '2026-11-23T14:50:00Z', to: null, reason: 'Still waiting' },
      ],
    });
    // 24/7 in New York: the fix ends by 14:30; the 20-minute pause that ended is no time for the work, so the
    // diagnosis (60 min of fix before it) ends by 13:10 and arrival by 12:40. The open pause is ignored.
    expect(stepDeadlines(detail, null)?.map((d) => d.by.toISOString())).toEqual([
      '2026-11-23T12:40:00.000Z',
      '2026-11-23T13:10:00.000Z',
      '2026-11-23T14:30:00.000Z',
      '2026-11-23T15:00:00.000Z',
    ]);
  });

  it('shows each step’s latest time on the contract’s calendar, fetched for the card', async () => {
    signIn({ user: ERIK });
    const detail = createCaseDetail({ contractId: '44444444-4444-4444-8444-444444444444', promisedAt: '2026-11-23T15:00:00Z' });
    const fetchMock = stubFetch(({ url }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: detail.id })]));
      if (url.pathname === `/api/v1/contracts/${detail.contractId}`) return jsonResponse({ id: detail.contractId, calendarId: 'cal-1' });
      if (url.pathname === '/api/v1/calendars/cal-1') return jsonResponse({ id: 'cal-1', name: 'Office hours', definition: nineToFive });
      return jsonResponse(detail);
    });
    renderWithProviders(<MyWork />);
    const card = await screen.findByTestId('work-card');
    const arrival = card.querySelector('.work-steps li') as HTMLElement;
    await waitFor(() => expect(arrival).toHaveTextContent(`by ${formatInstant('2026-11-20T21:00:00.000Z', { timeZone: 'America/New_York' }) ?? ''}`));
    expect(requestsOf(fetchMock).map((r) => r.url.pathname)).toContain('/api/v1/calendars/cal-1');
    // Now is Monday 07:00 in New York (the board's now, 12:00Z), before opening. Arrival was due Friday 16:00:
    // over by the one business hour left on Friday (17:00 closes). The fix is due Monday 09:30: 30 minutes of
    // business time left (opening at 09:00), though the wall clock says 2 h 30 min.
    const rows = card.querySelectorAll('.work-steps li');
    expect(rows[0]).toHaveTextContent('⚠ over by 1 h of business time');
    expect(rows[2]).toHaveTextContent('30 min of business time left');
  });

  it('lists the cases dispatched to me and records the next step, then the first test as the fix', async () => {
    signIn({ user: ERIK });
    let detail = createCaseDetail({
      version: 5,
      milestones: [
        { id: 'm1', kind: 'arrived', at: '2026-11-23T12:50:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null },
        { id: 'm2', kind: 'diagnosed', at: '2026-11-23T13:20:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null },
      ],
    });
    const fetchMock = stubFetch(({ url, method, body }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: detail.id })]));
      if (method === 'POST' && url.pathname.endsWith('/milestones')) {
        const kind = (body as { kind: 'fixed' | 'test_passed' }).kind;
        detail = { ...detail, version: detail.version + 1, milestones: [...detail.milestones, { id: kind, kind, at: '2026-11-23T14:00:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null }] };
        return jsonResponse(detail, { status: 201 });
      }
      if (method === 'POST' && url.pathname.endsWith('/fixed')) {
        detail = { ...detail, version: detail.version + 1, status: 'fixed', fixedAt: '2026-11-23T14:10:00Z' };
        return jsonResponse(detail);
      }
      return jsonResponse(detail);
    });
    renderWithProviders(<MyWork />);

    const card = await screen.findByTestId('work-card');
    expect(requestsOf(fetchMock)[0].url.searchParams.get('engineerId')).toBe(ERIK.id);
    expect(within(card).getByText('Five samples before the doctor calls at 4 pm.', { exact: false })).toBeInTheDocument();
    fireEvent.click(await within(card).findByRole('button', { name: 'Fix done' }));
    const finish = await within(card).findByRole('button', { name: 'First test passed' });
    fireEvent.click(finish);
    expect(await within(card).findByText('Fixed: waiting for the customer to confirm.')).toBeInTheDocument();

    const posts = requestsOf(fetchMock).filter((r) => r.method === 'POST');
    expect(posts.map((p) => [p.url.pathname.split('/').at(-1), p.headers.get('if-match')])).toEqual([
      ['milestones', 'W/"5"'],
      ['milestones', 'W/"6"'],
      ['fixed', 'W/"7"'],
    ]);
    // Each tap carries its own Idempotency-Key, so a resend after a lost answer is never recorded twice.
    const keys = posts.map((p) => p.headers.get('idempotency-key'));
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((k) => /^tap-/.test(k ?? ''))).toBe(true);
    await waitFor(() => expect(within(card).queryByRole('button', { name: 'First test passed' })).not.toBeInTheDocument());
    expect(await tapDb.taps.count()).toBe(0);
  });

  it('hands over to the customer after the first passed test: makes her status link and shows it', async () => {
    signIn({ user: ERIK });
    const detail = createCaseDetail({ status: 'fixed', fixedAt: '2026-11-23T14:10:00Z' });
    const fetchMock = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: detail.id })]));
      if (method === 'POST' && url.pathname === `/api/v1/cases/${detail.id}/status-links`)
        return jsonResponse({ id: 'l1', url: '/s/abc123', expiresAt: '2026-12-23T00:00:00Z' }, { status: 201 });
      return jsonResponse(detail);
    });
    renderWithProviders(<MyWork />);
    const card = await screen.findByTestId('work-card');
    fireEvent.click(await within(card).findByRole('button', { name: 'Hand over: show or send her status link' }));
    expect(await within(card).findByRole('link', { name: /\/s\/abc123$/ })).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'POST').map((r) => r.url.pathname)).toEqual([`/api/v1/cases/${detail.id}/status-links`]);
  });

  it('keeps taps made offline in IndexedDB, shows how many wait, and sends them in order once back online', async () => {
    signIn({ user: ERIK });
    let detail = createCaseDetail({ version: 3, milestones: [] });
    let online = false;
    const accepted: { ifMatch: string | null; key: string | null }[] = [];
    stubFetch(({ url, method, body, headers }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: detail.id })]));
      if (method === 'POST') {
        if (!online) throw new TypeError('Failed to fetch');
        accepted.push({ ifMatch: headers.get('if-match'), key: headers.get('idempotency-key') });
        const kind = (body as { kind: 'arrived' | 'diagnosed' }).kind;
        detail = { ...detail, version: detail.version + 1, milestones: [...detail.milestones, { id: kind, kind, at: '2026-11-23T12:00:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null }] };
        return jsonResponse(detail, { status: 201 });
      }
      return jsonResponse(detail);
    });
    renderWithProviders(<MyWork />);
    const card = await screen.findByTestId('work-card');
    fireEvent.click(await within(card).findByRole('button', { name: 'Arrived on site' }));
    fireEvent.click(await within(card).findByRole('button', { name: 'Problem diagnosed' }));
    await waitFor(() => expect(screen.getByTestId('taps-waiting')).toHaveTextContent('2 taps waiting to be sent'));
    expect(await tapDb.taps.count()).toBe(2);

    online = true;
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(screen.queryByTestId('taps-waiting')).not.toBeInTheDocument());
    expect(detail.milestones.map((m) => m.kind)).toEqual(['arrived', 'diagnosed']);
    // Exactly two requests reached the API, in the order tapped; the second tap was made on version 3 like
    // the first and went out on the version the first one produced.
    expect(accepted.map((a) => a.ifMatch)).toEqual(['W/"3"', 'W/"4"']);
    expect(new Set(accepted.map((a) => a.key)).size).toBe(2);
    expect(await tapDb.taps.count()).toBe(0);
  });

  it('shows a refused tap as a conflict instead of dropping it, and holds back the later taps of that case', async () => {
    signIn({ user: ERIK });
    const detail = createCaseDetail({ version: 3, milestones: [] });
    stubFetch(({ url, method }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: detail.id })]));
      if (method === 'POST')
        return jsonResponse(
          { type: 'about:blank', title: 'Precondition Failed', status: 412, detail: 'You sent version 3 but the current version is 4; reload and try again' },
          { status: 412, headers: { 'content-type': 'application/problem+json' } },
        );
      return jsonResponse(detail);
    });
    renderWithProviders(<MyWork />);
    const card = await screen.findByTestId('work-card');
    fireEvent.click(await within(card).findByRole('button', { name: 'Arrived on site' }));
    expect(await within(card).findByText('“Arrived on site” was not recorded')).toBeInTheDocument();
    expect(within(card).getByText(/current version is 4/)).toBeInTheDocument();
    expect(await tapDb.taps.where('state').equals('conflict').count()).toBe(1);
    fireEvent.click(within(card).getByRole('button', { name: 'Discard' }));
    await waitFor(async () => expect(await tapDb.taps.count()).toBe(0));
  });

  it('orders my cases by when their next step falls due, soonest first', async () => {
    signIn({ user: ERIK });
    // Same breakdown (2 h before the promise for arrival): the board lists the later one first, but its arrival
    // is due by 16:00 and the other's by 13:00, so My work shows the other first.
    const later = createCaseDetail({ id: '00000000-0000-4000-8000-00000000a001', reference: 'K-1', summary: 'Later case', promisedAt: '2026-11-23T18:00:00Z' });
    const sooner = createCaseDetail({ id: '00000000-0000-4000-8000-00000000a002', reference: 'K-2', summary: 'Sooner case', promisedAt: '2026-11-23T15:00:00Z' });
    stubFetch(({ url }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: later.id }), createBoardItem({ id: sooner.id })]));
      return jsonResponse(url.pathname.endsWith(sooner.id) ? sooner : later);
    });
    renderWithProviders(<MyWork />);
    await waitFor(() => expect(screen.getAllByTestId('work-card').map((c) => c.querySelector('h2')?.textContent)).toEqual(['K-2 Sooner case', 'K-1 Later case']));
  });
});
