import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createBoard, createBoardItem } from '@/testing/factories/board.factory';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { MyWork, stepDeadlines } from './my-work';

const ERIK = { id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', email: 'e@x.test', role: 'engineer' as const };

describe('MyWork', () => {
  it('counts each step’s latest time back from the promise', () => {
    const detail = createCaseDetail({ promisedAt: '2026-11-23T15:00:00Z' });
    expect(stepDeadlines(detail)?.map((d) => d.by.toISOString())).toEqual([
      '2026-11-23T13:00:00.000Z', // arrive: 15:00 − test 30 − fix 60 − diagnosis 30
      '2026-11-23T13:30:00.000Z',
      '2026-11-23T14:30:00.000Z',
      '2026-11-23T15:00:00.000Z',
    ]);
    expect(stepDeadlines(createCaseDetail({ promises: [] }))).toBeNull();
    // A re-promise without a breakdown keeps the steps of the last one that had it.
    const repromised = createCaseDetail({ promisedAt: '2026-11-23T17:00:00Z' });
    repromised.promises = [...repromised.promises, { ...repromised.promises[0], version: 2, promisedAt: '2026-11-23T17:00:00Z', breakdown: null }];
    expect(stepDeadlines(repromised)?.[0].by.toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });

  it('lists the cases dispatched to me and records the next step, then the first test as the fix', async () => {
    signIn({ user: ERIK });
    let detail = createCaseDetail({
      version: 5,
      milestones: [
        { id: 'm1', kind: 'arrived', at: '2026-11-23T12:50:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null },
        { id: 'm2', kind: 'diagnosed', at: '2026-11-23T13:20:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null },
      ],
    });
    const fetchMock = stubFetch(({ url, method, body }) => {
      if (url.pathname === '/api/v1/board') return jsonResponse(createBoard([createBoardItem({ id: detail.id })]));
      if (method === 'POST' && url.pathname.endsWith('/milestones')) {
        const kind = (body as { kind: 'fixed' | 'test_passed' }).kind;
        detail = { ...detail, version: detail.version + 1, milestones: [...detail.milestones, { id: kind, kind, at: '2026-11-23T14:00:00Z', actor: { id: ERIK.id, name: ERIK.name }, note: null }] };
        return jsonResponse(detail, { status: 201 });
      }
      if (method === 'POST' && url.pathname.endsWith('/fixed')) {
        detail = { ...detail, version: detail.version + 1, status: 'fixed', fixedAt: '2026-11-23T14:10:00Z' };
        return jsonResponse(detail);
      }
      return jsonResponse(detail);
    });
    renderWithProviders(<MyWork />);

    const card = await screen.findByTestId('work-card');
    expect(requestsOf(fetchMock)[0].url.searchParams.get('engineerId')).toBe(ERIK.id);
    expect(within(card).getByText('Five samples before the doctor calls at 4 pm.', { exact: false })).toBeInTheDocument();
    fireEvent.click(await within(card).findByRole('button', { name: 'Fix done' }));
    const finish = await within(card).findByRole('button', { name: 'First test passed' });
    fireEvent.click(finish);
    expect(await within(card).findByText('Fixed: waiting for the customer to confirm.')).toBeInTheDocument();

    const posts = requestsOf(fetchMock).filter((r) => r.method === 'POST');
    expect(posts.map((p) => [p.url.pathname.split('/').at(-1), p.headers.get('if-match')])).toEqual([
      ['milestones', 'W/"5"'],
      ['milestones', 'W/"6"'],
      ['fixed', 'W/"7"'],
    ]);
    await waitFor(() => expect(within(card).queryByRole('button')).not.toBeInTheDocument());
  });
});
