import { fireEvent, screen, waitFor } from '@testing-library/dom';
import { createPublicStatus } from '@/testing/factories/status-link.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { startStatusPage } from './page';

const TOKEN = 'A'.repeat(43);

function mount() {
  document.body.innerHTML = '<main id="status"></main>';
  return startStatusPage(document.getElementById('status')!, TOKEN);
}

describe('the customer status page (its own bundle, no framework)', () => {
  it('shows her need, the worst-case promise with its steps, the step now, the engineer and the history', async () => {
    stubFetch(() =>
      jsonResponse(
        createPublicStatus({
          engineer: { firstName: 'Erik', onTheWay: true, eta: '2026-11-23T10:30:00Z' },
          history: [
            { at: '2026-11-23T08:05:00Z', from: null, to: '2026-11-23T15:00:00Z', reason: null, customerAccepted: null, kind: 'promise' },
            {
              at: '2026-11-23T09:00:00Z',
              from: '2026-11-23T15:00:00Z',
              to: '2026-11-23T17:00:00Z',
              reason: 'Part late',
              customerAccepted: 'yes',
              kind: 'promise',
            },
          ],
        }),
      ),
    );
    await mount();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('K-1042 · Analyser shows error 42');
    expect(screen.getByText('Five samples before the doctor calls patients at 4')).toBeTruthy();
    const now = document.querySelector('[aria-current="step"]')!;
    expect(now.textContent).toContain('Travel and arrival');
    expect(screen.getByText(/Erik is on the way/).textContent).toContain('Expected arrival');
    expect(screen.getByText(/Part late/)).toBeTruthy();
    expect(screen.getByText(/accepted by you/)).toBeTruthy();
  });

  it('speaks German to a German customer and wears the tenant accent colour', async () => {
    stubFetch(() => jsonResponse(createPublicStatus({ language: 'de', branding: { accentColor: '#aa3300', logoUrl: null } })));
    await mount();
    expect(screen.getByText('Wir arbeiten daran')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Unser Versprechen' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
    expect(document.documentElement.style.getPropertyValue('--st-accent')).toBe('#aa3300');
  });

  it('accepts a proposal with an Idempotency-Key and shows the answer it gets back', async () => {
    const proposal = {
      id: '11111111-1111-4111-8111-111111111111',
      promisedAt: '2026-11-24T15:00:00Z',
      breakdown: null,
      reason: 'Part arrives tomorrow',
      createdAt: '2026-11-23T09:00:00Z',
    };
    const fetchMock = stubFetch(({ method }) =>
      jsonResponse(
        method === 'GET'
          ? createPublicStatus({
              proposal,
              actions: { answerProposal: true, confirmSatisfied: false, reportNotFixed: false, answerSurvey: false },
            })
          : createPublicStatus({ promisedAt: '2026-11-24T15:00:00Z' }),
      ),
    );
    await mount();
    expect(screen.getByText(/Part arrives tomorrow/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Accept the new time' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Accept the new time' })).toBeNull());
    const post = requestsOf(fetchMock).find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe(`/api/v1/public/status/${TOKEN}/proposal/accept`);
    expect(post.body).toEqual({ proposalId: proposal.id });
    expect(post.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the survey (CSAT, stress, comment)', async () => {
    const fetchMock = stubFetch(() =>
      jsonResponse(
        createPublicStatus({
          status: 'fixed',
          actions: { answerProposal: false, confirmSatisfied: true, reportNotFixed: true, answerSurvey: true },
        }),
      ),
    );
    await mount();
    fireEvent.click(screen.getAllByRole('radio', { name: '4' })[0]);
    fireEvent.click(screen.getAllByRole('radio', { name: '5' })[1]);
    fireEvent.input(Object.assign(screen.getByLabelText('Comment (optional)'), { value: 'Quick and kind' }));
    fireEvent.submit(screen.getByRole('button', { name: 'Send' }).closest('form')!);
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.method === 'POST')).toBe(true));
    const post = requestsOf(fetchMock).find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe(`/api/v1/public/status/${TOKEN}/survey`);
    expect(post.body).toEqual({ csat: 4, stress: 5, comment: 'Quick and kind' });
  });

  it('says plainly when the link is not valid', async () => {
    stubFetch(() => problemResponse({ status: 404, code: 'STATUS_LINK_NOT_FOUND' }));
    await mount();
    expect(screen.getByRole('heading', { name: 'This link is not valid' })).toBeTruthy();
  });
});
