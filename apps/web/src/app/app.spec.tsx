import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { LoginResponse } from '@kept/contracts';
import { MemoryRouter } from 'react-router';
import { endSession, getSessionState } from '@/lib/session';
import { createBoard, createBoardItem } from '@/testing/factories/board.factory';
import { createCasePage, createCaseSummary } from '@/testing/factories/case-summary.factory';
import { jsonResponse, problemResponse, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { createTestQueryClient, LocationDisplay } from '@/testing/render';
import { signIn } from '@/testing/session';
import { AppProvider } from './provider';
import { AppRoutes } from './router';

const loginResponse: LoginResponse = {
  accessToken: 'fresh-token',
  tokenType: 'Bearer',
  expiresIn: 900,
  user: {
    id: 'u-7',
    tenantId: 't-1',
    email: 'dispatcher@demo.kept.test',
    name: 'Dana Dispatcher',
    role: 'dispatcher',
    active: true,
    team: null,
    createdAt: '2026-01-05T09:00:00Z',
  },
  organization: { id: 't-1', name: 'Demo Field Service' },
};

const api: FetchHandler = ({ url, method, body }) => {
  if (method === 'POST' && url.pathname === '/api/v1/auth/login') {
    const { password } = body as { password: string };
    return password === 'kept-demo'
      ? jsonResponse(loginResponse)
      : problemResponse({ status: 401, title: 'Unauthorized', code: 'INVALID_CREDENTIALS' });
  }
  if (url.pathname === '/api/v1/board') {
    return jsonResponse(createBoard([createBoardItem({ reference: 'K-1042', atRisk: true, riskReasons: ['promise_at_risk'] }), createBoardItem()]));
  }
  if (url.pathname === '/api/v1/cases') {
    return jsonResponse(
      createCasePage([createCaseSummary({ reference: 'K-1042' }), createCaseSummary({ reference: 'K-1041' })]),
    );
  }
  return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
};

function renderApp(route: string) {
  stubFetch(api);
  return render(
    <MemoryRouter initialEntries={[route]}>
      <AppProvider queryClient={createTestQueryClient()}>
        <AppRoutes />
        <LocationDisplay />
      </AppProvider>
    </MemoryRouter>,
  );
}

describe('the app', () => {
  it('sends a signed-out visitor to the login page, then to the board after signing in', async () => {
    renderApp('/');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/login$/);

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'dispatcher@demo.kept.test' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'kept-demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findAllByTestId('board-row')).toHaveLength(2);
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/board$/);
    const header = screen.getByRole('banner');
    expect(header).toHaveTextContent('Kept');
    expect(header).toHaveTextContent('Demo Field Service');
    expect(header).toHaveTextContent('Dana Dispatcher');
    expect(header).toHaveTextContent('Dispatcher');
  });

  it('returns to the page that was asked for after signing in', async () => {
    renderApp('/cases?status=paused');

    await screen.findByRole('heading', { name: 'Sign in' });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'dispatcher@demo.kept.test' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'kept-demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findAllByTestId('case-row');
    expect(screen.getByTestId('location')).toHaveTextContent('/cases?status=paused');
  });

  it('sends a signed-in user from the login page to the board', async () => {
    signIn();
    renderApp('/login');

    expect(await screen.findAllByTestId('board-row')).toHaveLength(2);
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/board$/);
  });

  it('starts an engineer at their own work', async () => {
    signIn({ user: { id: 'u-9', name: 'Erik Engineer', email: 'e@x.test', role: 'engineer' } });
    renderApp('/');

    expect(await screen.findByRole('heading', { name: 'My work' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/my-work$/);
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'My work' })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Settings' })).not.toBeInTheDocument();
  });

  it('signs out: drops the token and shows the login page', async () => {
    signIn();
    renderApp('/cases');
    await screen.findAllByTestId('case-row');

    fireEvent.click(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(getSessionState().session).toBeNull();
    expect(window.sessionStorage.getItem('kept.session')).toBeNull();
    expect(screen.queryByText('Your session has ended. Sign in again to continue.')).not.toBeInTheDocument();
  });

  it('returns to the login page, saying why, when the session expires', async () => {
    signIn();
    renderApp('/cases');
    await screen.findAllByTestId('case-row');

    act(() => endSession('expired'));

    expect(await screen.findByText('Your session has ended. Sign in again to continue.')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/login$/);
  });

  it('ends the session when its token runs out, without waiting for a request', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), doNotFake: ['queueMicrotask', 'nextTick'] });
    signIn({ expiresAt: Date.now() + 60_000 });
    renderApp('/cases');
    await act(async () => {
      await jest.advanceTimersByTimeAsync(10);
    });

    await act(async () => {
      await jest.advanceTimersByTimeAsync(60_000);
    });

    await waitFor(() => expect(getSessionState().endedBy).toBe('expired'));
  });

  it('shows a not-found page for unknown addresses', async () => {
    signIn();
    renderApp('/nowhere');

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the board' })).toHaveAttribute('href', '/board');
  });
});
