import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CaseDetailResponse, EngineerAvailabilityResponse } from '@kept/contracts';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { CaseAssignment } from './case-assignment';

const ERIK = { id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', team: 'Field team North' };
const NINA = { id: '44444444-4444-4444-8444-444444444444', name: 'Nina Engineer', team: 'Field team South' };
const ENGINEERS: EngineerAvailabilityResponse[] = [
  { ...ERIK, openCases: 3, nextPromiseAt: null },
  { ...NINA, openCases: 1, nextPromiseAt: null },
];

function setup(detail: CaseDetailResponse, answer: (body: unknown) => Response) {
  const fetchMock = stubFetch(({ url, method, body }) => {
    if (url.pathname === '/api/v1/board/engineers') return jsonResponse(ENGINEERS);
    if (method === 'PUT' && url.pathname === `/api/v1/cases/${detail.id}/assignment`) return answer(body);
    return problemResponse({ status: 404, title: 'Not Found' });
  });
  renderWithProviders(<CaseAssignment detail={detail} canAssign />);
  return fetchMock;
}

describe('CaseAssignment', () => {
  it('shows the assignee and team, and lets nobody without the role change it', () => {
    stubFetch(() => problemResponse({ status: 404, title: 'Not Found' }));
    renderWithProviders(<CaseAssignment detail={createCaseDetail({ assignee: ERIK })} canAssign={false} />);
    expect(screen.getByTestId('case-assignee')).toHaveTextContent('Assigned to Erik Engineer · Field team North');
    expect(screen.queryByRole('button', { name: 'Change assignment' })).not.toBeInTheDocument();
  });

  it('offers no change on a closed case', () => {
    stubFetch(() => problemResponse({ status: 404, title: 'Not Found' }));
    renderWithProviders(<CaseAssignment detail={createCaseDetail({ assignee: null, status: 'satisfied' })} canAssign />);
    expect(screen.getByTestId('case-assignee')).toHaveTextContent('Unassigned');
    expect(screen.queryByRole('button', { name: 'Change assignment' })).not.toBeInTheDocument();
  });

  it('reassigns with a required reason and the version it read (If-Match), then shows the new assignee', async () => {
    const detail = createCaseDetail({ version: 3, assignee: ERIK });
    const fetchMock = setup(detail, () => jsonResponse({ ...detail, version: 4, assignee: NINA }));
    fireEvent.click(screen.getByRole('button', { name: 'Change assignment' }));
    const form = screen.getByRole('form', { name: 'Change assignment' });
    const select = within(form).getByLabelText('Engineer');
    await within(form).findByRole('option', { name: /Nina Engineer \(Field team South\) · 1 open/ });
    expect(select).toHaveValue(ERIK.id);

    fireEvent.change(select, { target: { value: NINA.id } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save assignment' }));
    expect(within(form).getByText('Say why the case changes hands: it goes into the ledger')).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'PUT')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: '  Erik is off sick ' } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Change assignment' })).not.toBeInTheDocument());
    const put = requestsOf(fetchMock).find((r) => r.method === 'PUT')!;
    expect(put.headers.get('if-match')).toBe('W/"3"');
    expect(put.body).toEqual({ assigneeId: NINA.id, reason: 'Erik is off sick' });
  });

  it('sends a team only when one is typed', async () => {
    const detail = createCaseDetail({ version: 5, assignee: null });
    const fetchMock = setup(detail, () => jsonResponse({ ...detail, version: 6, assignee: { ...ERIK, team: 'Night shift' } }));
    fireEvent.click(screen.getByRole('button', { name: 'Change assignment' }));
    const form = screen.getByRole('form', { name: 'Change assignment' });
    await within(form).findByRole('option', { name: /Erik Engineer/ });
    fireEvent.change(within(form).getByLabelText('Engineer'), { target: { value: ERIK.id } });
    fireEvent.change(within(form).getByLabelText('Team'), { target: { value: ' Night shift ' } });
    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: 'Covers the night' } });
    fireEvent.submit(form);
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.method === 'PUT')).toBe(true));
    expect(requestsOf(fetchMock).find((r) => r.method === 'PUT')?.body).toEqual({ assigneeId: ERIK.id, reason: 'Covers the night', team: 'Night shift' });
  });

  it('unassigns with null and shows the server’s refusal', async () => {
    const detail = createCaseDetail({ version: 2, assignee: ERIK });
    const fetchMock = setup(detail, () =>
      problemResponse({ status: 422, title: 'The case refers to something that does not exist', detail: 'User cannot be assigned cases' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Change assignment' }));
    const form = screen.getByRole('form', { name: 'Change assignment' });
    fireEvent.change(within(form).getByLabelText('Engineer'), { target: { value: '' } });
    fireEvent.change(within(form).getByLabelText(/Reason/), { target: { value: 'Back to the queue' } });
    fireEvent.submit(form);
    expect(await within(form).findByText('Not saved')).toBeInTheDocument();
    expect(requestsOf(fetchMock).find((r) => r.method === 'PUT')?.body).toEqual({ assigneeId: null, reason: 'Back to the queue' });
  });
});
