import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createStatusLink } from '@/testing/factories/status-link.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { StatusLinkSection } from './status-link-section';

const CASE_ID = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const NOW = new Date('2026-11-23T12:00:00Z');
const URL_ONCE = 'http://localhost:3000/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';

describe('StatusLinkSection', () => {
  beforeEach(() => signIn());

  it('creates a link with an Idempotency-Key, shows its URL once with Copy and the expiry, and lists it', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    let items = [
      createStatusLink({
        id: 'a0000000-0000-4000-8000-000000000001',
        viewCount: 3,
        lastViewedAt: '2026-11-23T11:00:00Z',
      }),
    ];
    const fetchMock = stubFetch(({ url, method }) => {
      if (method === 'POST' && url.pathname === `/api/v1/cases/${CASE_ID}/status-links`) {
        items = [
          createStatusLink({
            id: 'b0000000-0000-4000-8000-000000000002',
            expiresAt: '2026-11-30T12:00:00Z',
          }),
          ...items,
        ];
        return jsonResponse(
          {
            id: 'b0000000-0000-4000-8000-000000000002',
            url: URL_ONCE,
            expiresAt: '2026-11-30T12:00:00Z',
          },
          { status: 201 },
        );
      }
      return jsonResponse({ items });
    });
    renderWithProviders(<StatusLinkSection caseId={CASE_ID} canAct now={NOW} />);

    const list = await screen.findByRole('list', { name: 'Status links' });
    expect(within(list).getByText(/3 views, last/)).toBeInTheDocument();
    expect(screen.queryByDisplayValue(URL_ONCE)).not.toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Valid for (days)'), {
      target: { value: '7' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create status link' }));

    const field = await screen.findByLabelText('Status link URL');
    expect(field).toHaveValue(URL_ONCE);
    expect(screen.getByText(/shown/)).toHaveTextContent(/only now.*works until \w{3} 30 Nov/);
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(URL_ONCE);
    expect(await screen.findByText('Copied to the clipboard.')).toBeInTheDocument();

    const post = requestsOf(fetchMock).find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ expiresInDays: 7 });
    expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Status links' })).getAllByRole('listitem')).toHaveLength(2),
    );
    expect(screen.getByText(/not opened yet/)).toBeInTheDocument();
  });

  it('refuses days outside 1–90 without sending anything', async () => {
    const fetchMock = stubFetch(() => jsonResponse({ items: [] }));
    renderWithProviders(<StatusLinkSection caseId={CASE_ID} canAct now={NOW} />);
    expect(await screen.findByText('No status link has been made for this case.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Valid for (days)'), {
      target: { value: '91' },
    });
    expect(screen.getByText('Enter a whole number of days from 1 to 90.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create status link' })).toBeDisabled();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('revokes a live link; revoked and expired links offer no Revoke', async () => {
    const live = createStatusLink({
      id: 'c0000000-0000-4000-8000-000000000003',
    });
    let items = [
      live,
      createStatusLink({
        id: 'd0000000-0000-4000-8000-000000000004',
        revokedAt: '2026-11-23T09:00:00Z',
      }),
      createStatusLink({
        id: 'e0000000-0000-4000-8000-000000000005',
        expiresAt: '2026-11-22T09:00:00Z',
      }),
    ];
    const fetchMock = stubFetch(({ url, method }) => {
      if (method === 'POST' && url.pathname === `/api/v1/status-links/${live.id}/revoke`) {
        items = items.map((l) => (l.id === live.id ? { ...l, revokedAt: '2026-11-23T12:00:00Z' } : l));
        return jsonResponse(items[0]);
      }
      return jsonResponse({ items });
    });
    renderWithProviders(<StatusLinkSection caseId={CASE_ID} canAct now={NOW} />);
    const list = await screen.findByRole('list', { name: 'Status links' });
    expect(within(list).getByText(/Revoked/)).toBeInTheDocument();
    expect(within(list).getByText(/Expired/)).toBeInTheDocument();
    const revoke = within(list).getAllByRole('button', {
      name: /Revoke the link/,
    });
    expect(revoke).toHaveLength(1);
    fireEvent.click(revoke[0]);
    await waitFor(() => expect(screen.queryAllByRole('button', { name: /Revoke the link/ })).toHaveLength(0));
    expect(requestsOf(fetchMock).some((r) => r.method === 'POST' && r.url.pathname.endsWith(`${live.id}/revoke`))).toBe(
      true,
    );
  });

  it('shows viewers the list without create or revoke, and reports an API error on create', async () => {
    stubFetch(() => jsonResponse({ items: [createStatusLink()] }));
    const { unmount } = renderWithProviders(<StatusLinkSection caseId={CASE_ID} canAct={false} now={NOW} />);
    await screen.findByRole('list', { name: 'Status links' });
    expect(screen.queryByRole('button', { name: 'Create status link' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    unmount();

    stubFetch(({ method }) =>
      method === 'POST'
        ? problemResponse({
            status: 404,
            title: 'Not found',
            detail: 'Case does not exist',
          })
        : jsonResponse({ items: [] }),
    );
    renderWithProviders(<StatusLinkSection caseId={CASE_ID} canAct now={NOW} />);
    await screen.findByText('No status link has been made for this case.');
    fireEvent.click(screen.getByRole('button', { name: 'Create status link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Case does not exist');
  });
});
