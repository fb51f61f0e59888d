import { screen } from '@testing-library/react';
import { createPublicStatus } from '@/testing/factories/status-link.factory';
import { deferredResponse, jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signOut } from '@/testing/session';
import { PublicStatusPage } from './public-status-page';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const metaContent = (name: string) =>
  document.head.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;

describe('PublicStatusPage', () => {
  beforeEach(() => signOut());

  it('shows a loading state, then the reference, summary, status and the promise in the site’s named zone, without a log-in', async () => {
    const pending = deferredResponse();
    const fetchMock = stubFetch(() => pending.promise);
    renderWithProviders(<PublicStatusPage token={TOKEN} />);
    expect(screen.getByText('Loading the status')).toBeInTheDocument();

    pending.resolve(jsonResponse(createPublicStatus()));
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent('K-1042 · Analyser shows error 42');
    expect(screen.getByText('We are working on it')).toBeInTheDocument();
    // 15:00 UTC is 10:00 in New York.
    expect(screen.getByText('Promised by').nextElementSibling).toHaveTextContent(/Mon 23 Nov( 2026)?, 10:00 America\/New_York/);
    expect(screen.getByText('You need it by').nextElementSibling).toHaveTextContent(/12:00/);
    expect(screen.getByText('Fixed').nextElementSibling).toHaveTextContent('Not yet');
    expect(screen.getByText(/time zone: America\/New_York/)).toBeInTheDocument();
    const [request] = requestsOf(fetchMock);
    expect(request.url.pathname).toBe(`/api/v1/public/status/${TOKEN}`);
    expect(request.headers.get('Authorization')).toBeNull();
  });

  it('says when the case is fixed and done', async () => {
    stubFetch(() =>
      jsonResponse(
        createPublicStatus({
          status: 'satisfied',
          fixedAt: '2026-11-23T14:00:00Z',
          satisfiedAt: '2026-11-23T14:30:00Z',
        }),
      ),
    );
    renderWithProviders(<PublicStatusPage token={TOKEN} />);
    expect(await screen.findByText('Done')).toBeInTheDocument();
    expect(screen.getByText('Fixed').nextElementSibling).toHaveTextContent(/9:00/);
    expect(screen.getByText('Completed').nextElementSibling).toHaveTextContent(/9:30/);
  });

  it('explains an invalid or expired link clearly', async () => {
    stubFetch(() =>
      problemResponse({
        status: 404,
        title: 'This status link is not valid',
        code: 'STATUS_LINK_NOT_FOUND',
      }),
    );
    renderWithProviders(<PublicStatusPage token={TOKEN} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(/This link is not valid.*expired or was withdrawn/);
  });

  it('sets noindex and no-referrer in the document head while shown, and removes them after', async () => {
    stubFetch(() => jsonResponse(createPublicStatus()));
    const { unmount } = renderWithProviders(<PublicStatusPage token={TOKEN} />);
    expect(metaContent('robots')).toBe('noindex');
    expect(metaContent('referrer')).toBe('no-referrer');
    await screen.findByRole('heading', { level: 1 });
    unmount();
    expect(metaContent('robots')).toBeNull();
    expect(metaContent('referrer')).toBeNull();
  });
});
