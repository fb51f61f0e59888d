import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { signIn } from '@/testing/session';
import { ApiError, NetworkError, apiRequest, buildUrl, errorMessage } from './api-client';
import { getSessionState } from './session';

describe('buildUrl', () => {
  it('prefixes the API base and drops empty query values', () => {
    expect(buildUrl('/cases', { limit: 50, cursor: undefined, status: 'open,paused', q: '' })).toBe(
      '/api/v1/cases?limit=50&status=open%2Cpaused',
    );
    expect(buildUrl('/auth/login')).toBe('/api/v1/auth/login');
  });
});

describe('apiRequest', () => {
  it('sends the bearer token of the session and returns the JSON body', async () => {
    signIn({ accessToken: 'abc.def' });
    const fetchMock = stubFetch(() => jsonResponse({ items: [], nextCursor: null }));

    await expect(apiRequest('/cases', { query: { limit: 10 } })).resolves.toEqual({ items: [], nextCursor: null });

    const [request] = requestsOf(fetchMock);
    expect(request.url.pathname).toBe('/api/v1/cases');
    expect(request.url.searchParams.get('limit')).toBe('10');
    expect(request.headers.get('authorization')).toBe('Bearer abc.def');
  });

  it('sends JSON bodies without a token when unauthenticated', async () => {
    signIn();
    const fetchMock = stubFetch(() => jsonResponse({ ok: true }));

    await apiRequest('/auth/login', { method: 'POST', body: { email: 'a@b.test' }, authenticated: false });

    const [request] = requestsOf(fetchMock);
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.headers.get('authorization')).toBeNull();
    expect(request.body).toEqual({ email: 'a@b.test' });
  });

  it('turns problem+json into an ApiError carrying the problem', async () => {
    stubFetch(() =>
      problemResponse({
        status: 400,
        title: 'Bad Request',
        detail: 'The query is not valid.',
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'limit', message: 'Too big' }],
      }),
    );

    const error = await apiRequest('/cases').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, message: 'The query is not valid.' });
    expect((error as ApiError).problem?.errors).toEqual([{ path: 'limit', message: 'Too big' }]);
  });

  it('ends the session on a 401 to an authenticated request', async () => {
    signIn();
    stubFetch(() => problemResponse({ status: 401, title: 'Unauthorized', code: 'TOKEN_EXPIRED' }));

    await expect(apiRequest('/cases')).rejects.toMatchObject({ status: 401 });

    expect(getSessionState()).toEqual({ session: null, endedBy: 'expired' });
    expect(window.sessionStorage.getItem('kept.session')).toBeNull();
  });

  it('keeps the session on a 401 to an unauthenticated request (wrong password)', async () => {
    const session = signIn();
    stubFetch(() => problemResponse({ status: 401, title: 'Unauthorized', code: 'INVALID_CREDENTIALS' }));

    await expect(apiRequest('/auth/login', { method: 'POST', body: {}, authenticated: false })).rejects.toBeInstanceOf(
      ApiError,
    );

    expect(getSessionState().session).toEqual(session);
  });

  it('reports a failed connection as a NetworkError', async () => {
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });

    const error = await apiRequest('/cases').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NetworkError);
    expect(errorMessage(error)).toBe('Could not reach Kept. Check your connection and try again.');
  });

  it('does not send an expired token', async () => {
    const fetchMock = stubFetch(() => jsonResponse({}));
    signIn({ expiresAt: Date.now() - 1 });

    await apiRequest('/cases');

    expect(requestsOf(fetchMock)[0].headers.get('authorization')).toBeNull();
  });
});

describe('silent refresh', () => {
  const loginBody = (accessToken: string) => ({
    accessToken,
    tokenType: 'Bearer',
    expiresIn: 900,
    user: { id: 'u-1', tenantId: 'o-1', email: 'dispatcher@demo.kept.test', name: 'Dana Dispatcher', role: 'dispatcher', active: true, team: null, createdAt: '2026-01-01T00:00:00Z' },
    organization: { id: 'o-1', name: 'Demo Field Service' },
  });

  it('renews the access token with the refresh cookie on a 401 and retries the request once', async () => {
    signIn({ accessToken: 'old.token' });
    const fetchMock = stubFetch(({ url, headers }) => {
      if (url.pathname === '/api/v1/auth/refresh') return jsonResponse(loginBody('new.token'));
      return headers.get('authorization') === 'Bearer new.token'
        ? jsonResponse({ items: [1] })
        : problemResponse({ status: 401, code: 'UNAUTHENTICATED' });
    });

    await expect(apiRequest('/cases')).resolves.toEqual({ items: [1] });

    const calls = requestsOf(fetchMock);
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual(['GET /api/v1/cases', 'POST /api/v1/auth/refresh', 'GET /api/v1/cases']);
    expect(calls[1].headers.get('authorization')).toBeNull();
    expect(getSessionState().session?.accessToken).toBe('new.token');
  });

  it('refreshes once for a burst of 401s', async () => {
    signIn({ accessToken: 'old.token' });
    const fetchMock = stubFetch(({ url, headers }) => {
      if (url.pathname === '/api/v1/auth/refresh') return jsonResponse(loginBody('new.token'));
      return headers.get('authorization') === 'Bearer new.token' ? jsonResponse({}) : problemResponse({ status: 401 });
    });

    await Promise.all([apiRequest('/cases'), apiRequest('/board'), apiRequest('/alerts')]);

    expect(requestsOf(fetchMock).filter((c) => c.url.pathname === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('ends the session when the refresh is refused, without looping', async () => {
    signIn({ accessToken: 'old.token' });
    const fetchMock = stubFetch(() => problemResponse({ status: 401 }));

    await expect(apiRequest('/cases')).rejects.toMatchObject({ status: 401 });

    expect(getSessionState()).toEqual({ session: null, endedBy: 'expired' });
    // The request, the refresh and its one retry (for two tabs racing): nothing more.
    expect(requestsOf(fetchMock).map((c) => c.url.pathname)).toEqual(['/api/v1/cases', '/api/v1/auth/refresh', '/api/v1/auth/refresh']);
  });
});

describe('errorMessage', () => {
  it('hides server-side details of a 5xx', () => {
    const error = new ApiError(
      500,
      { type: 'about:blank', title: 'Internal', status: 500, code: 'INTERNAL', detail: 'db down' },
      'x',
    );
    expect(errorMessage(error)).toBe('Kept ran into a problem on its side. Try again in a moment.');
  });

  it('uses the problem detail of a 4xx', () => {
    const error = new ApiError(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'NOT_FOUND' }, 'x');
    expect(errorMessage(error)).toBe('Not Found');
  });
});
