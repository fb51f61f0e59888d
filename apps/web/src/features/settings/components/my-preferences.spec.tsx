import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { NotificationPreferences } from '@kept/contracts';
import { jsonResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { MyPreferences } from './my-preferences';
import { quietHoursError } from './notification-preferences';

function api(initial: NotificationPreferences) {
  return stubFetch(({ url, method, body }) => {
    if (url.pathname === '/api/v1/users/me/notification-preferences' && method === 'GET') return jsonResponse(initial);
    if (url.pathname === '/api/v1/users/me/notification-preferences' && method === 'PUT') return jsonResponse(body);
    throw new Error(`unexpected ${method} ${url.pathname}`);
  });
}

describe('My preferences', () => {
  it('lets an engineer set quiet hours with time pickers and a zone picker, and the digest', async () => {
    signIn({ user: { id: 'u-9', name: 'Erik Engineer', email: 'erik@x.test', role: 'engineer' } });
    const fetchMock = api({ emailEnabled: true, quietHours: null, digestLowSeverity: false });
    renderWithProviders(<MyPreferences />);
    expect(screen.getByRole('heading', { level: 1, name: 'My preferences' })).toBeInTheDocument();
    expect(screen.getByText(/Erik Engineer · Engineer/)).toBeInTheDocument();
    const form = await screen.findByRole('form', { name: 'My notifications' });

    fireEvent.click(within(form).getByLabelText('Low-severity alerts as one hourly digest'));
    fireEvent.click(within(form).getByLabelText(/Quiet hours/));
    const from = within(form).getByLabelText('Quiet from');
    expect(from).toHaveAttribute('type', 'time');
    fireEvent.change(from, { target: { value: '21:30' } });
    fireEvent.change(within(form).getByLabelText('Quiet until'), { target: { value: '21:30' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'In the time zone' }), { target: { value: 'Europe/Berlin' } });

    // The same start and end is refused before anything is sent.
    fireEvent.click(within(form).getByRole('button', { name: 'Save my notifications' }));
    expect(await within(form).findByText('Quiet hours must end at another time than they start')).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'PUT')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Quiet until'), { target: { value: '06:45' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save my notifications' }));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'PUT')).toHaveLength(1));
    expect(requestsOf(fetchMock).find((r) => r.method === 'PUT')!.body).toEqual({
      emailEnabled: true,
      digestLowSeverity: true,
      quietHours: { from: '21:30', to: '06:45', timeZone: 'Europe/Berlin' },
    });
    expect(await within(form).findByText('Saved.')).toBeInTheDocument();
  });

  it('shows saved quiet hours in their own zone and can turn them off', async () => {
    signIn({ user: { id: 'u-8', name: 'Dana Dispatcher', email: 'dana@x.test', role: 'dispatcher' } });
    const fetchMock = api({ emailEnabled: false, quietHours: { from: '19:00', to: '08:00', timeZone: 'America/New_York' }, digestLowSeverity: true });
    renderWithProviders(<MyPreferences />);
    const form = await screen.findByRole('form', { name: 'My notifications' });
    expect(within(form).getByLabelText('Quiet from')).toHaveValue('19:00');
    expect(within(form).getByRole('combobox', { name: 'In the time zone' })).toHaveValue('America/New_York');
    fireEvent.click(within(form).getByLabelText(/Quiet hours/));
    expect(within(form).queryByLabelText('Quiet from')).not.toBeInTheDocument();
    fireEvent.click(within(form).getByRole('button', { name: 'Save my notifications' }));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'PUT')).toHaveLength(1));
    expect(requestsOf(fetchMock).find((r) => r.method === 'PUT')!.body).toEqual({ emailEnabled: false, digestLowSeverity: true, quietHours: null });
  });

  it('checks quiet hours', () => {
    expect(quietHoursError('20:00', '07:00')).toEqual({});
    expect(quietHoursError('', '07:00')).toEqual({ from: 'Pick the time quiet hours start' });
    expect(quietHoursError('07:00', '07:00')).toEqual({ to: 'Quiet hours must end at another time than they start' });
  });
});
