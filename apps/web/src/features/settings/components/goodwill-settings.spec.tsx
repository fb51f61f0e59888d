import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Budget, GoodwillSettings, UserResponse } from '@kept/contracts';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { createGoodwillSettings } from '@/testing/factories/goodwill.factory';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { SettingsView } from './settings-view';

const SETTINGS = createGoodwillSettings({ version: 3 });
const month = new Date().toISOString().slice(0, 7);
const NORTH: Budget = { team: 'North', month, amountMinor: 1000_00, currency: 'EUR', spentMinor: 1000_00, leftMinor: 0 };
const ERIK: UserResponse = { id: 'u-2', tenantId: 't', email: 'erik@x.test', name: 'Erik Engineer', role: 'engineer', active: true, team: 'South', createdAt: '' };

const api: FetchHandler = ({ url, method, body }) => {
  if (url.pathname === '/api/v1/goodwill/settings' && method === 'GET') return jsonResponse(SETTINGS);
  if (url.pathname === '/api/v1/goodwill/settings' && method === 'PUT') return jsonResponse({ ...(body as GoodwillSettings), version: 4 });
  if (url.pathname === '/api/v1/goodwill/budgets' && method === 'GET') return jsonResponse({ items: [NORTH] });
  if (url.pathname === '/api/v1/goodwill/budgets' && method === 'PUT') {
    const b = body as Budget;
    return jsonResponse({ items: [NORTH, { ...b, spentMinor: 0, leftMinor: b.amountMinor }] });
  }
  if (url.pathname === '/api/v1/users') return jsonResponse([ERIK]);
  if (url.pathname === '/api/v1/calendars') return jsonResponse([]);
  return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
};

const openTab = async () => {
  renderWithProviders(<SettingsView />, { route: '/settings?tab=goodwill' });
  return screen.findByRole('form', { name: 'Goodwill settings' });
};

describe('goodwill settings (managers)', () => {
  beforeEach(() => signIn({ user: { id: 'u-m', name: 'Mia Manager', email: 'manager@demo.kept.test', role: 'manager' } }));

  it('shows limits per role, the ladder, kinds with value and currency and the options; saves them with If-Match', async () => {
    const fetchMock = stubFetch(api);
    const form = await openTab();
    const limits = within(form).getByRole('group', { name: /Empowerment limit per case, by role/ });
    expect(within(limits).getByLabelText('Dispatcher')).toHaveValue('200');
    expect(within(form).getByLabelText(/Compensation ladder/)).toHaveValue('100, 150, 200, 500');
    const loaner = within(form).getByRole('group', { name: 'Loaner instrument' });
    expect(within(loaner).getByLabelText('Value of one (EUR)')).toHaveValue('150');
    expect(within(form).getByLabelText(/Options instead of a no/)).toHaveValue(SETTINGS.options.join('\n'));

    fireEvent.change(within(limits).getByLabelText('Dispatcher'), { target: { value: '250' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add a kind' }));
    const fresh = within(form).getByRole('group', { name: 'Kind 6' });
    fireEvent.change(within(fresh).getByLabelText('Name'), { target: { value: 'Coffee voucher' } });
    fireEvent.change(within(fresh).getByLabelText('Value of one (EUR)'), { target: { value: '12.50' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save goodwill settings' }));

    expect(await screen.findByText('Saved (version 4).')).toBeInTheDocument();
    const put = requestsOf(fetchMock).find((r) => r.method === 'PUT' && r.url.pathname === '/api/v1/goodwill/settings');
    expect(put?.headers.get('if-match')).toBe('W/"3"');
    expect(put?.body).toMatchObject({ limits: { dispatcher: 250_00 }, ladder: [100_00, 150_00, 200_00, 500_00] });
    expect((put?.body as GoodwillSettings).kinds.at(-1)).toEqual({ key: 'coffee_voucher', label: 'Coffee voucher', money: false, valueMinor: 12_50, currency: 'EUR' });
  });

  it('refuses a negative limit and a ladder going down beside their fields, without asking the API', async () => {
    const fetchMock = stubFetch(api);
    const form = await openTab();
    fireEvent.change(within(form).getByLabelText('Engineer'), { target: { value: '-5' } });
    fireEvent.change(within(form).getByLabelText(/Compensation ladder/), { target: { value: '200, 100' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save goodwill settings' }));
    expect(await within(form).findByText('An amount, zero or more, with at most two decimals')).toBeInTheDocument();
    expect(within(form).getByText('must be strictly ascending')).toBeInTheDocument();
    expect(within(form).getByRole('alert')).toHaveTextContent('Please correct 2 fields.');
    expect(requestsOf(fetchMock).some((r) => r.method === 'PUT')).toBe(false);
  });

  it('shows the API’s problem+json field message beside the field it names (an unknown currency)', async () => {
    stubFetch((req) =>
      req.method === 'PUT' && req.url.pathname === '/api/v1/goodwill/settings'
        ? problemResponse({ status: 400, title: 'Bad Request', code: 'VALIDATION_FAILED', detail: 'The request is invalid', errors: [{ path: 'currency', message: 'unknown currency' }] })
        : api(req),
    );
    const form = await openTab();
    fireEvent.click(within(form).getByRole('button', { name: 'Save goodwill settings' }));
    expect(await within(form).findByText('unknown currency')).toBeInTheDocument();
    expect(within(form).getByText('The settings were not saved')).toBeInTheDocument();
  });

  it('lists the month’s budgets per team with what is left and sets one for a team', async () => {
    const fetchMock = stubFetch(api);
    await openTab();
    const budgets = screen.getByRole('region', { name: 'Goodwill budgets per team' });
    const row = await within(budgets).findByRole('row', { name: /North/ });
    expect(row).toHaveTextContent('used up: offers need approval');
    const form = within(budgets).getByRole('form', { name: 'Set a team budget' });
    fireEvent.click(within(form).getByRole('button', { name: 'Set budget' }));
    expect(within(form).getByText('Name the team')).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText('Team'), { target: { value: 'South' } });
    fireEvent.change(within(form).getByLabelText(/^Budget for/), { target: { value: '-3' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Set budget' }));
    expect(within(form).getByText('An amount, zero or more, with at most two decimals')).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText(/^Budget for/), { target: { value: '750' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Set budget' }));
    await within(budgets).findByRole('row', { name: /South/ });
    const put = requestsOf(fetchMock).find((r) => r.method === 'PUT' && r.url.pathname === '/api/v1/goodwill/budgets');
    expect(put?.body).toEqual({ team: 'South', month, amountMinor: 750_00, currency: 'EUR' });
    await waitFor(() => expect(within(form).getByLabelText('Team')).toHaveValue(''));
  });
});
