import { fireEvent, screen } from '@testing-library/react';
import { getSessionState } from '@/lib/session';
import { requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { SessionsPanel } from './sessions-panel';

describe('SessionsPanel', () => {
  it('ends every session on the server, then signs out here and shows the login page', async () => {
    signIn();
    const fetchMock = stubFetch(() => new Response(null, { status: 204 }));
    renderWithProviders(<SessionsPanel />, {
      route: '/preferences',
      path: '/preferences',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    expect(await screen.findByText('Elsewhere')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/login');
    expect(requestsOf(fetchMock).map((r) => `${r.method} ${r.url.pathname}`)).toContain('POST /api/v1/auth/logout-all');
    expect(getSessionState().session).toBeNull();
  });

  it('keeps the session and says nothing was ended when the server cannot be reached', async () => {
    signIn();
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    renderWithProviders(<SessionsPanel />, {
      route: '/preferences',
      path: '/preferences',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    expect(await screen.findByText('Nothing was ended')).toBeInTheDocument();
    expect(getSessionState().session).not.toBeNull();
    expect(screen.getByTestId('location')).toHaveTextContent('/preferences');
  });
});
