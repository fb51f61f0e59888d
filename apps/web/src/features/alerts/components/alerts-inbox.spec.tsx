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
    expect(screen.getByText('3 open alerts on 2 cases')).toBeInTheDocument();
    expect(Object.fromEntries(requestsOf(fetchMock)[0].url.searchParams)).toEqual({ state: 'open', limit: '200' });
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
    expect(await screen.findByText('No open alerts')).toBeInTheDocument();
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
