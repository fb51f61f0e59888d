import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AlertResponse } from '@kept/contracts';
import { createAlert } from '@/testing/factories/alert.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { AlertsInbox } from './alerts-inbox';

const page = (items: AlertResponse[]) => ({ items, nextCursor: null });

describe('AlertsInbox', () => {
  beforeEach(() => {
    window.localStorage.clear();
    signIn();
  });

  it('groups the open alerts by case', async () => {
    const fetchMock = stubFetch(() =>
      jsonResponse(
        page([
          createAlert({ caseId: 'c-1', caseReference: 'K-1001', caseSummary: 'Analyzer down', message: 'Promise in 1 h' }),
          createAlert({ caseId: 'c-2', caseReference: 'K-1002', caseSummary: 'QC drift', severity: 'low', message: 'Need in 2 h', target: 'required', ruleKind: 'lead' }),
          createAlert({ caseId: 'c-1', caseReference: 'K-1001', caseSummary: 'Analyzer down', message: 'Promise breached', severity: 'critical', ruleKind: 'breach' }),
        ]),
      ),
    );
    renderWithProviders(<AlertsInbox />);
    const first = await screen.findByRole('region', { name: 'K-1001 Analyzer down' });
    expect(within(first).getAllByTestId('alert-item')).toHaveLength(2);
    expect(within(first).getByText('Deadline passed · the promise (v1)')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'K-1002 QC drift' })).getByText('Lead time before the deadline · the need (v1)')).toBeInTheDocument();
    expect(screen.getByText('3 open alerts on 2 cases, yours')).toBeInTheDocument();
    expect(Object.fromEntries(requestsOf(fetchMock)[0].url.searchParams)).toEqual({ state: 'open', limit: '200', for: 'me' });
  });

  it('puts the case with the most severe alert first, its critical escalation on top', async () => {
    stubFetch(() =>
      jsonResponse(
        page([
          createAlert({ caseId: 'c-2', caseReference: 'K-1002', caseSummary: 'QC drift', severity: 'medium', firedAt: '2026-11-23T12:30:00Z' }),
          createAlert({ caseId: 'c-1', caseReference: 'K-1001', caseSummary: 'Analyzer down', severity: 'high', ruleKind: 'repeat', firedAt: '2026-11-23T12:20:00Z' }),
          createAlert({ caseId: 'c-1', caseReference: 'K-1001', caseSummary: 'Analyzer down', severity: 'critical', ruleKind: 'escalation', firedAt: '2026-11-23T12:10:00Z', message: 'Escalated' }),
        ]),
      ),
    );
    renderWithProviders(<AlertsInbox />);
    await screen.findByRole('region', { name: 'K-1001 Analyzer down' });
    expect(screen
        .getAllByRole('region')
        .filter((r) => r.classList.contains('alert-group'))
        .map((r) => r.getAttribute('aria-label'))).toEqual(['K-1001 Analyzer down', 'K-1002 QC drift']);
    const first = within(screen.getByRole('region', { name: 'K-1001 Analyzer down' })).getAllByTestId('alert-item')[0];
    expect(within(first).getByText('Escalated')).toBeInTheDocument();
  });

  it('shows a repeating alert once, with how often and when it last fired', async () => {
    stubFetch(() =>
      jsonResponse(page([createAlert({ ruleKind: 'repeat', ruleKey: 'repeat', repeatCount: 3, firedAt: '2026-11-23T12:00:00Z', lastFiredAt: '2026-11-23T13:00:00Z' })])),
    );
    renderWithProviders(<AlertsInbox />);
    const item = await screen.findByTestId('alert-item');
    expect(within(item).getByText(/Reminded 3 times, last/)).toBeInTheDocument();
  });

  it('acknowledges all open alerts of a case at once, naming the ones shown', async () => {
    const a = createAlert({ caseId: 'c-1', caseReference: 'K-1001', caseSummary: 'Analyzer down' });
    const b = createAlert({ caseId: 'c-1', caseReference: 'K-1001', caseSummary: 'Analyzer down', ruleKind: 'breach' });
    const fetchMock = stubFetch(({ method }) =>
      method === 'POST' ? jsonResponse({ caseId: 'c-1', acknowledged: 2, items: [] }) : jsonResponse(page([a, b])),
    );
    renderWithProviders(<AlertsInbox />);
    fireEvent.click(await screen.findByRole('button', { name: 'Acknowledge all 2 open alerts of K-1001' }));
    await waitFor(() => {
      const post = requestsOf(fetchMock).find((r) => r.url.pathname === '/api/v1/alerts/acknowledge');
      expect(post?.body).toEqual({ caseId: 'c-1', alertIds: expect.arrayContaining([a.id, b.id]) });
      expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
    });
  });

  it('shows the problem when acknowledging a case fails, and offers everyone’s alerts on a filter', async () => {
    const a = createAlert({ caseId: 'c-1' });
    const b = createAlert({ caseId: 'c-1' });
    const fetchMock = stubFetch(({ method }) =>
      method === 'POST'
        ? problemResponse({ status: 422, title: 'Some alerts do not belong to the case', detail: '1 of the 2 alerts are not alerts of case c-1; nothing was acknowledged', code: 'ALERTS_NOT_OF_CASE' })
        : jsonResponse(page([a, b])),
    );
    renderWithProviders(<AlertsInbox />);
    fireEvent.click(await screen.findByRole('button', { name: /Acknowledge all 2/ }));
    expect(await screen.findByText(/nothing was acknowledged/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Everyone' }));
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.method === 'GET' && !r.url.searchParams.has('for'))).toBe(true));
  });

  it('acknowledges and snoozes', async () => {
    const alert = createAlert();
    const fetchMock = stubFetch(({ method }) => (method === 'POST' ? jsonResponse({ ...alert, state: 'acknowledged' }) : jsonResponse(page([alert]))));
    renderWithProviders(<AlertsInbox />);
    await screen.findByTestId('alert-item');
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.url.pathname === `/api/v1/alerts/${alert.id}/acknowledge`)).toBe(true));

    fireEvent.change(screen.getByLabelText('Snooze for'), { target: { value: '240' } });
    fireEvent.click(screen.getByRole('button', { name: 'Snooze' }));
    await waitFor(() => {
      const snooze = requestsOf(fetchMock).find((r) => r.url.pathname === `/api/v1/alerts/${alert.id}/snooze`);
      expect(snooze?.body).toEqual({ minutes: 240 });
    });
  });

  it('marks alerts that arrive after the first load as new', async () => {
    const first = createAlert({ message: 'First' });
    let items = [first];
    stubFetch(() => jsonResponse(page(items)));
    const { queryClient } = renderWithProviders(<AlertsInbox />);
    await screen.findByText('First');
    items = [createAlert({ message: 'Arrived live' }), first];
    await act(() => queryClient.invalidateQueries({ queryKey: ['alerts'] }));
    const fresh = (await screen.findByText('Arrived live')).closest('li')!;
    expect(within(fresh).getByText('New')).toBeInTheDocument();
    expect(within(screen.getByText('First').closest('li')!).queryByText('New')).not.toBeInTheDocument();
  });

  it('keeps the opt-in to sound in this browser', async () => {
    stubFetch(() => jsonResponse(page([])));
    renderWithProviders(<AlertsInbox />);
    expect(await screen.findByText('No open alerts for you')).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Play a sound'));
    await waitFor(() => expect(JSON.parse(window.localStorage.getItem('kept.alerts.notify') ?? '{}')).toEqual({ sound: true, desktop: false }));
  });

  it('shows a 404 like any other load error, with a way to try again', async () => {
    stubFetch(() => problemResponse({ status: 404, title: 'Not Found', detail: 'No such route', code: 'NOT_FOUND' }));
    renderWithProviders(<AlertsInbox />);
    expect(await screen.findByText('Alerts could not be loaded')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
