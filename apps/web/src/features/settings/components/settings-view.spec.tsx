import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AlertPolicyResponse, CalendarResponse, UserResponse } from '@kept/contracts';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { nextShift } from './calendar-editor';
import { SettingsView } from './settings-view';

const nine = [['09:00', '12:00'], ['13:00', '17:00']] as [string, string][];
const CALENDAR: CalendarResponse = {
  id: 'c0000000-0000-4000-8000-000000000001',
  name: 'Office hours',
  definition: { timeZone: 'Europe/Berlin', week: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [], sun: [] }, holidays: ['2026-12-25'] },
  version: 4,
  createdAt: '',
  updatedAt: '',
};
const ERIK: UserResponse = { id: 'u-2', tenantId: 't', email: 'erik@x.test', name: 'Erik Engineer', role: 'engineer', active: true, team: null, createdAt: '' };

const POLICY: AlertPolicyResponse = {
  id: 'p-1',
  name: 'Promise watch',
  target: 'promised',
  basis: 'business',
  fractions: [0.5, 0.75],
  leadMinutes: [30],
  atBreach: true,
  repeatEveryMinutes: 30,
  escalateAfterMinutes: null,
  atRisk: true,
  channels: ['in_app', 'email'],
  recipientRoles: ['dispatcher'],
  active: true,
  version: 2,
  createdAt: '',
  updatedAt: '',
};

const api: FetchHandler = ({ url, method }) => {
  if (url.pathname === '/api/v1/alert-policies' && method === 'GET') return jsonResponse([POLICY]);
  if (url.pathname === '/api/v1/alert-policies/p-1' && method === 'PATCH') return jsonResponse({ ...POLICY, version: 3 });
  if (url.pathname === '/api/v1/webhooks' && method === 'GET') return jsonResponse([]);
  if (url.pathname === '/api/v1/users/me/notification-preferences' && method === 'GET') {
    return jsonResponse({ emailEnabled: true, quietHours: null, digestLowSeverity: false });
  }
  if (url.pathname === '/api/v1/users/me/notification-preferences' && method === 'PUT') return jsonResponse({});
  if (url.pathname === '/api/v1/calendars' && method === 'GET') return jsonResponse([CALENDAR]);
  if (url.pathname === `/api/v1/calendars/${CALENDAR.id}` && method === 'PATCH') return jsonResponse({ ...CALENDAR, version: 5 });
  if (url.pathname === '/api/v1/users' && method === 'GET') return jsonResponse([ERIK]);
  if (url.pathname === '/api/v1/users/u-2' && method === 'GET') return jsonResponse(ERIK, { headers: { etag: 'W/"7"' } });
  if (url.pathname === '/api/v1/users/u-2' && method === 'PATCH') return jsonResponse({ ...ERIK, role: 'dispatcher' });
  if (url.pathname === '/api/v1/api-keys' && method === 'GET') return jsonResponse([]);
  if (url.pathname === '/api/v1/api-keys' && method === 'POST') {
    return jsonResponse({ id: 'k1', name: 'ERP', role: 'dispatcher', prefix: 'kept_ab', createdAt: '', lastUsedAt: null, revokedAt: null, key: 'kept_abcdef123' }, { status: 201 });
  }
  return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
};

/** A button by its full text (sr-only parts included): cheaper than getByRole over a form with hundreds of zone options. */
function buttonIn(container: HTMLElement, text: string): HTMLElement {
  return within(container).getByText((_, element) => element?.tagName === 'BUTTON' && element.textContent === text);
}

describe('SettingsView', () => {
  it('offers a new shift after the day’s last one, within the day', () => {
    expect(nextShift([])).toEqual(['09:00', '17:00']);
    expect(nextShift([['09:00', '12:00']])).toEqual(['13:00', '17:00']);
    expect(nextShift([['08:00', '22:30']])).toEqual(['23:00', '24:00']);
  });

  it('edits a calendar with time, date and zone pickers: validates, then saves with the version it read', async () => {
    signIn({ user: { id: 'u-1', name: 'Mia Manager', email: 'm@x.test', role: 'manager' } });
    const fetchMock = stubFetch(api);
    renderWithProviders(<SettingsView />);
    const form = await screen.findByRole('form', { name: 'Calendar Office hours' });
    // Opening hours are time pickers, one pair per shift; a closed day says so.
    expect(within(form).getByLabelText('Monday shift 1 opens')).toHaveAttribute('type', 'time');
    expect(within(form).getByLabelText('Monday shift 1 opens')).toHaveValue('09:00');
    expect(within(form).getByLabelText('Monday shift 2 closes')).toHaveValue('17:00');
    expect(within(within(form).getByText('Saturday', { selector: 'legend' }).closest('fieldset')!).getByText('Closed')).toBeInTheDocument();
    // The zone is a picker of IANA zones, not free text.
    const zone = within(form).getByLabelText('Time zone');
    expect(zone).toHaveValue('Europe/Berlin');
    expect(within(zone).getByText('Europe/Vienna', { selector: 'option' })).toBeInTheDocument();
    // Holidays are date pickers.
    expect(within(form).getByLabelText('Holiday 1')).toHaveAttribute('type', 'date');
    expect(within(form).getByLabelText('Holiday 1')).toHaveValue('2026-12-25');

    // A Saturday shift that ends before it starts is refused, and nothing is sent.
    fireEvent.click(buttonIn(form, 'Add shift on Saturday'));
    fireEvent.change(within(form).getByLabelText('Saturday shift 1 opens'), { target: { value: '12:00' } });
    fireEvent.change(within(form).getByLabelText('Saturday shift 1 closes'), { target: { value: '10:00' } });
    fireEvent.click(buttonIn(form, 'Add holiday'));
    fireEvent.click(buttonIn(form, 'Save calendar'));
    expect(await within(form).findByText('Pick a date for each holiday, or remove it')).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText('Holiday 2'), { target: { value: '2026-12-24' } });
    fireEvent.click(buttonIn(form, 'Save calendar'));
    expect(await within(form).findByText('a period must end after it starts')).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Saturday shift 1 opens'), { target: { value: '10:00' } });
    fireEvent.change(within(form).getByLabelText('Saturday shift 1 closes'), { target: { value: '12:00' } });
    // Sunday open until midnight: the picker's last minute, 23:59, is the end of the day (24:00).
    fireEvent.click(buttonIn(form, 'Add shift on Sunday'));
    fireEvent.change(within(form).getByLabelText('Sunday shift 1 closes'), { target: { value: '23:59' } });
    expect(within(form).getByLabelText('Sunday shift 1 closes')).toHaveValue('23:59');
    // Tuesday becomes a morning only: the afternoon shift is removed.
    fireEvent.click(buttonIn(form, 'Remove Tuesday shift 2'));
    fireEvent.change(zone, { target: { value: 'Europe/Vienna' } });
    fireEvent.click(buttonIn(form, 'Save calendar'));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')).toHaveLength(1));
    const patch = requestsOf(fetchMock).find((r) => r.method === 'PATCH')!;
    expect(patch.headers.get('if-match')).toBe('W/"4"');
    expect(patch.body).toEqual({
      name: 'Office hours',
      definition: {
        timeZone: 'Europe/Vienna',
        week: { ...CALENDAR.definition.week, tue: [['09:00', '12:00']], sat: [['10:00', '12:00']], sun: [['09:00', '24:00']] },
        holidays: ['2026-12-24', '2026-12-25'],
      },
    });
  });

  it('lets an admin change a role (reading the version from the ETag) and issue an API key shown once', async () => {
    signIn({ user: { id: 'u-1', name: 'Ada Admin', email: 'a@x.test', role: 'admin' } });
    const fetchMock = stubFetch(api);
    renderWithProviders(<SettingsView />, { route: '/settings?tab=users' });
    fireEvent.change(await screen.findByLabelText('Role of Erik Engineer'), { target: { value: 'dispatcher' } });
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.method === 'PATCH')).toBe(true));
    const patch = requestsOf(fetchMock).find((r) => r.method === 'PATCH')!;
    expect(patch.headers.get('if-match')).toBe('W/"7"');
    expect(patch.body).toEqual({ role: 'dispatcher' });

    fireEvent.click(screen.getByRole('button', { name: 'API keys' }));
    const form = await screen.findByRole('form', { name: 'New API key' });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));
    expect(within(form).getByText('Name the key after the system that will use it')).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText('Key name'), { target: { value: 'ERP' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));
    expect(await screen.findByTestId('new-api-key')).toHaveTextContent('kept_abcdef123');
  });

  it('lets an admin put a user in a team, validated, and take them out again', async () => {
    signIn({ user: { id: 'u-1', name: 'Ada Admin', email: 'a@x.test', role: 'admin' } });
    let erik = ERIK;
    const fetchMock = stubFetch((request) => {
      if (request.url.pathname === '/api/v1/users') return jsonResponse([erik]);
      if (request.url.pathname === '/api/v1/users/u-2' && request.method === 'PATCH') {
        erik = { ...erik, ...(request.body as { team: string | null }) };
        return jsonResponse(erik);
      }
      return api(request);
    });
    renderWithProviders(<SettingsView />, { route: '/settings?tab=users' });
    const team = () => screen.getByLabelText('Team of Erik Engineer');
    await screen.findByLabelText('Team of Erik Engineer');
    const patches = () => requestsOf(fetchMock).filter((r) => r.method === 'PATCH');

    fireEvent.change(team(), { target: { value: 'x'.repeat(101) } });
    fireEvent.click(screen.getByRole('button', { name: 'Save team of Erik Engineer' }));
    expect(screen.getByText('At most 100 characters')).toBeInTheDocument();
    expect(patches()).toHaveLength(0);

    fireEvent.change(team(), { target: { value: '  Field team South ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save team of Erik Engineer' }));
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(patches()[0].headers.get('if-match')).toBe('W/"7"');
    expect(patches()[0].body).toEqual({ team: 'Field team South' });
    await waitFor(() => expect(team()).toHaveValue('Field team South')); // reloaded: trimmed by the form

    fireEvent.change(team(), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save team of Erik Engineer' }));
    await waitFor(() => expect(patches()).toHaveLength(2));
    expect(patches()[1].body).toEqual({ team: null });
  });

  it('shows teams read-only to a manager', async () => {
    signIn({ user: { id: 'u-1', name: 'Mia Manager', email: 'm@x.test', role: 'manager' } });
    stubFetch((request) =>
      request.url.pathname === '/api/v1/users' ? jsonResponse([{ ...ERIK, team: 'Field team North' }]) : api(request),
    );
    renderWithProviders(<SettingsView />, { route: '/settings?tab=users' });
    const row = await screen.findByRole('row', { name: /Erik Engineer/ });
    expect(within(row).getByText('Field team North')).toBeInTheDocument();
    expect(screen.queryByLabelText('Team of Erik Engineer')).not.toBeInTheDocument();
  });

  it('turns a policy off and edits its thresholds with validation', async () => {
    signIn({ user: { id: 'u-1', name: 'Mia Manager', email: 'm@x.test', role: 'manager' } });
    const fetchMock = stubFetch(api);
    renderWithProviders(<SettingsView />, { route: '/settings?tab=alerts' });
    expect(await screen.findByText('50 % used, 75 % used, 30 min before, predicted at risk, at breach, every 30 min after')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Turn off Promise watch' }));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')).toHaveLength(1));
    const toggle = requestsOf(fetchMock).find((r) => r.method === 'PATCH')!;
    expect(toggle.headers.get('if-match')).toBe('W/"2"');
    expect(toggle.body).toEqual({ active: false });

    fireEvent.click(screen.getByRole('button', { name: 'Edit Promise watch' }));
    const form = screen.getByRole('form', { name: 'Edit Promise watch' });
    fireEvent.change(within(form).getByLabelText('Warn at % of the window used'), { target: { value: '50, 150' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(within(form).getByText('Percentages between 1 and 99, separated by commas')).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText('Warn at % of the window used'), { target: { value: '60, 90' } });
    fireEvent.change(within(form).getByLabelText('Repeat every (minutes after breach)'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')).toHaveLength(2));
    expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')[1].body).toEqual({
      fractions: [0.6, 0.9],
      leadMinutes: [30],
      repeatEveryMinutes: null,
      escalateAfterMinutes: null,
      atBreach: true,
      atRisk: true,
    });

    // My own notifications moved to My preferences, linked from here.
    expect(screen.getByRole('link', { name: 'My preferences' })).toHaveAttribute('href', '/preferences');
  });

  it('shows a failing list as an error with a way to try again, 404 included', async () => {
    signIn({ user: { id: 'u-1', name: 'Mia Manager', email: 'm@x.test', role: 'manager' } });
    stubFetch((request) =>
      request.url.pathname.startsWith('/api/v1/alert-policies') ? problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' }) : api(request),
    );
    renderWithProviders(<SettingsView />, { route: '/settings?tab=alerts' });
    expect(await screen.findByText('Alert policies could not be loaded')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Alert policies' })).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    // The other sections load regardless.
    expect(await screen.findByRole('region', { name: 'Webhooks' })).toBeInTheDocument();
  });

  it('is for managers and admins only', () => {
    signIn();
    stubFetch(api);
    renderWithProviders(<SettingsView />);
    expect(screen.getByText('Settings are for managers and admins.')).toBeInTheDocument();
  });
});
