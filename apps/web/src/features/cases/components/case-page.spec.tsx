import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CaseDetailResponse } from '@kept/contracts';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { CasePage } from './case-page';

function renderCase(detail: CaseDetailResponse, handler?: FetchHandler, role: 'dispatcher' | 'viewer' = 'dispatcher') {
  signIn({ user: { id: 'u-1', name: 'Dana Dispatcher', email: 'd@x.test', role } });
  const fallback: FetchHandler = ({ url }) =>
    url.pathname === `/api/v1/cases/${detail.id}` ? jsonResponse(detail) : problemResponse({ status: 404, title: 'Not Found' });
  const fetchMock = stubFetch(handler ?? fallback);
  // The app puts the alerts feature here (app/routes/case.spec.tsx); a stand-in shows what it is handed.
  renderWithProviders(
    <CasePage
      caseId={detail.id}
      timeZone="Europe/Berlin"
      locale="en-US"
      renderAlerts={({ caseId, canAct }) => <p data-testid="alerts-slot">{`alerts of ${caseId}, ${canAct ? 'can act' : 'read only'}`}</p>}
    />,
  );
  return fetchMock;
}

describe('CasePage', () => {
  it('shows the four times in both zones, the gaps in words, milestones and the ledger', async () => {
    const detail = createCaseDetail();
    renderCase(detail);

    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(detail.reference);
    expect(screen.getByText('We promised 1 h before her need')).toBeInTheDocument();
    const times = screen.getByRole('table', { name: /your zone and the site’s zone/ });
    expect(within(times).getByRole('columnheader', { name: /Yours: Europe\/Berlin \(GMT\+1\)/ })).toBeInTheDocument();
    expect(within(times).getByRole('columnheader', { name: /Site: America\/New_York \(GMT-5\)/ })).toBeInTheDocument();
    const promised = within(times).getByRole('row', { name: /^Promised/ });
    expect(promised).toHaveTextContent('Mon 23 Nov, 16:00 Europe/Berlin'); // Berlin
    expect(promised).toHaveTextContent('Mon 23 Nov, 10:00 America/New_York'); // New York
    expect(screen.getByText('Assigned to Erik Engineer: promised by 3 pm')).toBeInTheDocument();
    expect(screen.getAllByTestId('ledger-row')).toHaveLength(1);
    expect(screen.getByTestId('ledger')).toHaveTextContent('Promise v1');
    expect(screen.getByText(/Promise breakdown: arrival 1 h · diagnosis 30 min · fix 1 h · test 30 min/)).toBeInTheDocument();
    expect(screen.getByTestId('four-times-chart')).toHaveAccessibleName(/promised by .* 1 h before the need/);
    // The alerts themselves are the case route's (app/routes/case.spec.tsx); the page hands it the case.
    expect(within(screen.getByRole('region', { name: 'Alerts' })).getByTestId('alerts-slot')).toHaveTextContent(`alerts of ${detail.id}, can act`);
  });

  it('shows the assignee and an assignment change in the ledger by name, with its reason', async () => {
    const base = createCaseDetail();
    const detail = createCaseDetail({
      assignee: { id: 'n-1', name: 'Nina Engineer', team: 'Field team South' },
      ledger: [
        ...base.ledger,
        {
          ...base.ledger[0],
          id: '2',
          field: 'assignee',
          oldValue: 'e-1',
          newValue: 'n-1',
          oldLabel: 'Erik Engineer',
          newLabel: 'Nina Engineer',
          reason: 'Erik is off sick',
          customerAccepted: null,
        },
      ],
    });
    renderCase(detail);
    await screen.findByRole('heading', { level: 1 });
    expect(screen.getByTestId('case-assignee')).toHaveTextContent('Assigned to Nina Engineer · Field team South');
    const row = screen.getAllByTestId('ledger-row')[1];
    expect(row).toHaveTextContent('Assignee');
    expect(row).toHaveTextContent('Erik Engineer → Nina Engineer');
    expect(row).toHaveTextContent('Erik is off sick');
    expect(screen.getByRole('button', { name: 'Change assignment' })).toBeInTheDocument();
  });

  it('re-promises with a required reason, the version it read and the customer’s acceptance', async () => {
    const detail = createCaseDetail({ version: 3 });
    const updated = createCaseDetail({
      ...detail,
      version: 4,
      promiseVersion: 2,
      promisedAt: '2026-11-23T17:00:00Z',
      ledger: [
        ...detail.ledger,
        { ...detail.ledger[0], id: '2', oldValue: '2026-11-23T15:00:00Z', newValue: '2026-11-23T17:00:00Z', reason: 'Part delayed', promiseVersion: 2 },
      ],
    });
    const fetchMock = renderCase(detail, ({ url, method }) => {
      if (method === 'POST' && url.pathname === `/api/v1/cases/${detail.id}/promise`) return jsonResponse(updated);
      return jsonResponse(detail);
    });
    await screen.findByRole('heading', { level: 1 });

    fireEvent.click(screen.getByRole('button', { name: 'Re-promise' }));
    const form = screen.getByRole('form', { name: 'Re-promise' });
    fireEvent.click(within(form).getByRole('button', { name: 'Re-promise' }));
    expect(within(form).getByText('Say why the promise changes: the customer will see it')).toBeInTheDocument();
    // Nothing is sent but the question for the keep-probability of the time in the form.
    expect(requestsOf(fetchMock).filter((r) => r.method === 'POST' && !r.url.pathname.endsWith('/keep-probability'))).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText(/New promise/), { target: { value: '2026-11-23T18:00' } });
    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: 'Part delayed' } });
    fireEvent.click(within(form).getByLabelText('The customer accepted the new promise'));
    fireEvent.click(within(form).getByRole('button', { name: 'Re-promise' }));

    await waitFor(() => expect(screen.getAllByTestId('ledger-row')).toHaveLength(2));
    const post = requestsOf(fetchMock).find((r) => r.method === 'POST' && r.url.pathname.endsWith('/promise'))!;
    expect(post.headers.get('if-match')).toBe('W/"3"');
    // The server computes the keep-probability it stores: the client never sends one.
    expect(post.body).toEqual({ promisedAt: new Date('2026-11-23T18:00').toISOString(), reason: 'Part delayed', customerAccepted: 'yes' });
    expect(screen.queryByRole('form', { name: 'Re-promise' })).not.toBeInTheDocument();
  });

  it('shows the server’s keep-probability of the typed re-promise and sends none itself', async () => {
    const detail = createCaseDetail({ version: 3 });
    const typed = '2099-01-05T10:00';
    const fetchMock = renderCase(detail, ({ url, method, body }) => {
      if (method === 'POST' && url.pathname === `/api/v1/cases/${detail.id}/keep-probability`) {
        const promisedAt = (body as { promisedAt: string }).promisedAt;
        return jsonResponse({ promisedAt, keepProbability: promisedAt === new Date(typed).toISOString() ? 0.8 : 0.1 });
      }
      if (method === 'POST' && url.pathname === `/api/v1/cases/${detail.id}/promise`) return jsonResponse({ ...detail, version: 4 });
      return jsonResponse(detail);
    });
    await screen.findByRole('heading', { level: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'Re-promise' }));
    const form = screen.getByRole('form', { name: 'Re-promise' });
    fireEvent.change(within(form).getByLabelText(/New promise/), { target: { value: typed } });
    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: 'Part delayed' } });
    expect(await within(form).findByText(/Kept with 80 % probability, given the case is still open now/)).toBeInTheDocument();
    const asked = requestsOf(fetchMock).filter((r) => r.url.pathname.endsWith('/keep-probability'));
    expect(asked.map((r) => r.body)).toContainEqual({ promisedAt: new Date(typed).toISOString() });
    expect(requestsOf(fetchMock).some((r) => r.url.pathname === '/api/v1/recommendations')).toBe(false);
    fireEvent.click(within(form).getByRole('button', { name: 'Re-promise' }));
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.url.pathname.endsWith('/promise'))).toBe(true));
    const post = requestsOf(fetchMock).find((r) => r.url.pathname.endsWith('/promise'))!;
    expect(post.body).toEqual({ promisedAt: new Date(typed).toISOString(), reason: 'Part delayed', customerAccepted: 'pending' });
  });

  it('explains a conflicting change and reloads the case', async () => {
    const detail = createCaseDetail();
    let gets = 0;
    renderCase(detail, ({ method, url }) => {
      if (method === 'POST') return problemResponse({ status: 412, title: 'Precondition Failed', code: 'VERSION_MISMATCH' });
      if (url.pathname === `/api/v1/cases/${detail.id}`) gets += 1;
      return jsonResponse(detail);
    });
    await screen.findByRole('heading', { level: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    const form = screen.getByRole('form', { name: 'Pause' });
    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: 'Customer away' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Pause' }));
    expect(await screen.findByText('The case changed meanwhile')).toBeInTheDocument();
    await waitFor(() => expect(gets).toBe(2));
  });

  it('offers only the actions the status allows', async () => {
    renderCase(createCaseDetail({ status: 'fixed', fixedAt: '2026-11-23T14:00:00Z' }));
    await screen.findByRole('heading', { level: 1 });
    const actions = within(screen.getByRole('group', { name: 'Actions' }));
    expect(actions.getAllByRole('button').map((b) => b.textContent)).toEqual(['Customer satisfied', 'Re-promise', 'Record milestone', 'Cancel case']);
  });

  it('lets a viewer read but not act', async () => {
    renderCase(createCaseDetail(), undefined, 'viewer');
    await screen.findByRole('heading', { level: 1 });
    expect(screen.getByText('Your role can read this case but not change it.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Re-promise' })).not.toBeInTheDocument();
  });

  it('says when the case does not exist', async () => {
    renderCase(createCaseDetail(), () => problemResponse({ status: 404, title: 'Not Found', code: 'CASE_NOT_FOUND' }));
    expect(await screen.findByText('Case not found')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the board' })).toHaveAttribute('href', '/board');
  });
});
