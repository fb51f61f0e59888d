import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { InvitationResponse, PendingInvitationResponse, UserResponse } from '@kept/contracts';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { InvitationsSettings } from './invitations-settings';

const IVY: UserResponse = { id: 'u-9', tenantId: 't', email: 'ivy@x.test', name: 'Ivy Invitee', role: 'engineer', active: true, team: null, createdAt: '' };
const PENDING: PendingInvitationResponse = { user: IVY, expiresAt: '2026-12-04T09:00:00Z', state: 'pending', invitedBy: 'Ada Admin' };
const INVITED: InvitationResponse = { user: IVY, link: 'https://kept.example.com/set-password#token=abc', expiresAt: '2026-12-04T09:00:00Z', emailed: false };

describe('InvitationsSettings', () => {
  it('says when nothing is pending, and when the list cannot be loaded', async () => {
    stubFetch(() => jsonResponse([]));
    const { unmount } = renderWithProviders(<InvitationsSettings />);
    expect(await screen.findByText(/No pending invitations/)).toBeInTheDocument();
    unmount();

    stubFetch(() => problemResponse({ status: 403, code: 'FORBIDDEN', detail: 'Only an admin may do this' }));
    renderWithProviders(<InvitationsSettings />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Invitations could not be loaded');
  });

  it('checks the form, invites, and shows the one-time link once', async () => {
    const fetchMock = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/v1/auth/invitations' && method === 'POST') return jsonResponse(INVITED, { status: 201 });
      return jsonResponse([]);
    });
    renderWithProviders(<InvitationsSettings />);
    const form = screen.getByRole('form', { name: 'Invite a user' });
    fireEvent.submit(form);
    expect(await within(form).findByText('Enter an email address')).toBeInTheDocument();
    expect(within(form).getByText('Enter the name')).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'POST')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: ' ivy@x.test ' } });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Ivy Invitee' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'engineer' } });
    fireEvent.submit(form);
    expect(await screen.findByTestId('invitation-link')).toHaveTextContent(INVITED.link);
    expect(screen.getByText(/Send this link to them/)).toBeInTheDocument();
    expect(requestsOf(fetchMock).find((r) => r.method === 'POST')?.body).toEqual({ email: 'ivy@x.test', name: 'Ivy Invitee', role: 'engineer' });
  });

  it('resends and withdraws a pending invitation', async () => {
    const fetchMock = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/v1/auth/invitations/u-9/resend' && method === 'POST') return jsonResponse({ ...INVITED, link: 'https://kept.example.com/set-password#token=new' }, { status: 201 });
      if (url.pathname === '/api/v1/auth/invitations/u-9' && method === 'DELETE') return new Response(null, { status: 204 });
      return jsonResponse([PENDING]);
    });
    renderWithProviders(<InvitationsSettings />);
    const pending = await screen.findByRole('region', { name: 'Pending invitations' });
    const row = await within(pending).findByRole('row', { name: /Ivy Invitee/ });
    expect(row).toHaveTextContent('Waiting');

    fireEvent.click(within(row).getByRole('button', { name: 'Resend to Ivy Invitee' }));
    expect(await screen.findByText('https://kept.example.com/set-password#token=new')).toBeInTheDocument();
    fireEvent.click(within(row).getByRole('button', { name: 'Withdraw invitation of Ivy Invitee' }));
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.method === 'DELETE' && r.url.pathname === '/api/v1/auth/invitations/u-9')).toBe(true));
  });
});
