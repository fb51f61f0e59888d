import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { RepromiseRequestResponse } from '@kept/contracts';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { toLocalInputValue } from '@/lib/format';
import { FieldSection } from './field-section';

const request = (over: Partial<RepromiseRequestResponse> = {}): RepromiseRequestResponse => ({
  id: 'r0000000-0000-4000-8000-000000000001',
  caseId: '',
  requestedBy: { id: 'e1', name: 'Erik Engineer' },
  requestedAt: '2026-11-23T12:00:00Z',
  proposedAt: '2026-11-23T18:00:00Z',
  reason: 'The rotor must come from the depot',
  promisedAtRequest: '2026-11-23T15:00:00Z',
  state: 'open',
  decidedBy: null,
  decidedAt: null,
  acceptedPromisedAt: null,
  decisionNote: null,
  alertId: 'a1',
  ...over,
});

describe('FieldSection (the case page: what the engineer sent from the field)', () => {
  beforeEach(() => signIn());

  it('shows the open request and accepts it at the edited time with the version read (If-Match)', async () => {
    const detail = createCaseDetail({ version: 7 });
    let items = [request({ caseId: detail.id })];
    const fetchMock = stubFetch(({ url, method }) => {
      if (url.pathname.endsWith('/repromise-requests')) return jsonResponse({ items });
      if (url.pathname.endsWith('/attachments'))
        return jsonResponse({
          items: [
            { id: 'f1', caseId: detail.id, milestone: 'diagnosed', note: 'Burnt fuse', fileName: 'fuse.pdf', contentType: 'application/pdf', sizeBytes: 2048, uploadedBy: { id: 'e1', name: 'Erik Engineer' }, createdAt: '2026-11-23T12:10:00Z' },
          ],
        });
      if (url.pathname.endsWith('/content')) return new Response(new Blob(['%PDF-1.7']), { headers: { 'content-type': 'application/pdf' } });
      if (method === 'POST' && url.pathname.endsWith('/accept')) {
        items = [request({ caseId: detail.id, state: 'accepted', decidedAt: '2026-11-23T12:30:00Z', acceptedPromisedAt: '2026-11-23T19:00:00.000Z', decidedBy: { id: 'd', name: 'Dana' } })];
        return jsonResponse({ request: items[0], case: detail });
      }
      return jsonResponse(detail);
    });
    URL.createObjectURL = jest.fn(() => 'blob:fuse');
    URL.revokeObjectURL = jest.fn();
    renderWithProviders(<FieldSection detail={detail} canAct />);
    const open = await screen.findByTestId('repromise-request');
    expect(open).toHaveTextContent('Erik Engineer asks to re-promise');
    expect(open).toHaveTextContent('The rotor must come from the depot');
    expect(await screen.findByText('Burnt fuse')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'fuse.pdf' })).toHaveAttribute('href', 'blob:fuse');

    fireEvent.change(within(open).getByLabelText('Promise at'), { target: { value: toLocalInputValue(new Date('2026-11-23T19:00:00Z')) } });
    fireEvent.click(within(open).getByRole('button', { name: 'Re-promise at the edited time' }));
    expect(await screen.findByText(/re-promised for/)).toBeInTheDocument();
    const accept = requestsOf(fetchMock).find((r) => r.method === 'POST');
    expect(accept?.url.pathname).toBe(`/api/v1/repromise-requests/${items[0].id}/accept`);
    expect(accept?.headers.get('if-match')).toBe('W/"7"');
    expect(accept?.body).toEqual({ promisedAt: '2026-11-23T19:00:00.000Z' });
  });

  it('declines only with a note, and a viewer cannot answer', async () => {
    const detail = createCaseDetail();
    stubFetch(({ url }) => {
      if (url.pathname.endsWith('/repromise-requests')) return jsonResponse({ items: [request({ caseId: detail.id })] });
      if (url.pathname.endsWith('/attachments')) return jsonResponse({ items: [] });
      return jsonResponse(detail);
    });
    const { unmount } = renderWithProviders(<FieldSection detail={detail} canAct />);
    const open = await screen.findByTestId('repromise-request');
    expect(within(open).getByRole('button', { name: 'Decline' })).toBeDisabled();
    unmount();
    renderWithProviders(<FieldSection detail={detail} canAct={false} />);
    const readOnly = await screen.findByTestId('repromise-request');
    await waitFor(() => expect(within(readOnly).queryByRole('button')).not.toBeInTheDocument());
  });
});
