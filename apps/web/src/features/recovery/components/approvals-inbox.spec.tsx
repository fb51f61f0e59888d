import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { createGoodwillOffer, createGoodwillSettings } from '@/testing/factories/goodwill.factory';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { ApprovalsInbox } from './approvals-inbox';

const MANAGER = { id: 'u-m', name: 'Mia Manager', email: 'manager@demo.kept.test', role: 'manager' as const };
// Demo limits: manager 500.00. The first she may approve; the second is hers; the third is above her limit.
const WITHIN = createGoodwillOffer({ valueMinor: 300_00, offeredByName: 'Dana Dispatcher' });
const OWN = createGoodwillOffer({ valueMinor: 250_00, offeredBy: MANAGER.id, offeredByName: MANAGER.name, reason: 'My own offer' });
const ABOVE = createGoodwillOffer({ valueMinor: 900_00, offeredByName: 'Erik Engineer', reason: 'Samples lost' });

const api: FetchHandler = ({ url, method }) => {
  if (url.pathname === '/api/v1/goodwill/approvals') return jsonResponse({ items: [WITHIN, OWN, ABOVE] });
  if (url.pathname === '/api/v1/goodwill/settings') return jsonResponse(createGoodwillSettings());
  if (method === 'POST' && url.pathname === `/api/v1/goodwill/offers/${WITHIN.id}/approve`) return jsonResponse({ ...WITHIN, state: 'given' });
  if (method === 'POST' && url.pathname === `/api/v1/goodwill/offers/${ABOVE.id}/deny`) return jsonResponse({ ...ABOVE, state: 'denied' });
  return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
};

const itemOf = (name: RegExp) => screen.findByRole('listitem', { name });

describe('ApprovalsInbox', () => {
  beforeEach(() => signIn({ user: MANAGER }));

  it('lists goodwill waiting for approval and says why this manager may not approve some of it', async () => {
    stubFetch(api);
    renderWithProviders(<ApprovalsInbox />);
    expect(await screen.findByRole('heading', { name: 'Goodwill waiting for approval (3)' })).toBeInTheDocument();
    const within500 = await itemOf(/300\.00 offered by Dana Dispatcher/);
    expect(within(within500).getByRole('button', { name: 'Approve' })).toBeInTheDocument();
    expect(within(within500).getByRole('link', { name: 'open the case' })).toHaveAttribute('href', `/cases/${WITHIN.caseId}`);
    expect(within500).toHaveTextContent('need missed by 240 min');

    const own = await itemOf(/250\.00 offered by Mia Manager/);
    expect(own).toHaveTextContent('You made this offer: another person whose limit covers it must approve it.');
    expect(within(own).queryByRole('button')).toBeNull();

    const above = await itemOf(/900\.00 offered by Erik Engineer/);
    expect(above).toHaveTextContent(/Your limit \(€500\.00\) does not cover €900\.00/);
    expect(within(above).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(within(above).getByRole('button', { name: 'Deny' })).toBeInTheDocument();
  });

  it('approves with an optional reason and denies only with one', async () => {
    const fetchMock = stubFetch(api);
    renderWithProviders(<ApprovalsInbox />);
    const above = await itemOf(/900\.00 offered by Erik Engineer/);
    fireEvent.click(within(above).getByRole('button', { name: 'Deny' }));
    expect(within(above).getByText('Say why you deny it')).toBeInTheDocument();
    fireEvent.change(within(above).getByLabelText('Reason for the decision'), { target: { value: 'A loaner covers it' } });
    fireEvent.click(within(above).getByRole('button', { name: 'Deny' }));
    const item = await itemOf(/300\.00 offered by Dana Dispatcher/);
    fireEvent.click(within(item).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'POST')).toHaveLength(2));
    const [deny, approve] = requestsOf(fetchMock).filter((r) => r.method === 'POST');
    expect(deny.url.pathname).toBe(`/api/v1/goodwill/offers/${ABOVE.id}/deny`);
    expect(deny.body).toEqual({ note: 'A loaner covers it' });
    expect(approve.url.pathname).toBe(`/api/v1/goodwill/offers/${WITHIN.id}/approve`);
    expect(approve.body).toEqual({});
  });

  it('shows the API’s refusal when somebody else decided first', async () => {
    stubFetch((req) =>
      req.method === 'POST'
        ? problemResponse({ status: 409, title: 'Conflict', code: 'GOODWILL_ALREADY_DECIDED', detail: 'Somebody else decided it first' })
        : api(req),
    );
    renderWithProviders(<ApprovalsInbox />);
    const item = await itemOf(/300\.00 offered by Dana Dispatcher/);
    fireEvent.click(within(item).getByRole('button', { name: 'Approve' }));
    expect(await within(item).findByText('Somebody else decided it first')).toBeInTheDocument();
  });

  it('offers no decision to an engineer: only staff approve or deny', async () => {
    signIn({ user: { id: 'u-e', name: 'Erik Engineer', email: 'engineer@demo.kept.test', role: 'engineer' } });
    stubFetch(api);
    renderWithProviders(<ApprovalsInbox />);
    await itemOf(/300\.00 offered by Dana Dispatcher/);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('says when nothing waits', async () => {
    stubFetch((req) => (req.url.pathname === '/api/v1/goodwill/approvals' ? jsonResponse({ items: [] }) : api(req)));
    renderWithProviders(<ApprovalsInbox />);
    expect(await screen.findByText('Nothing waits for an approval.')).toBeInTheDocument();
  });
});
