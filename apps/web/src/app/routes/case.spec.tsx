import { screen, within } from '@testing-library/react';
import { createAlert } from '@/testing/factories/alert.factory';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { CaseRoute } from './case';

describe('CaseRoute', () => {
  it('shows the case page with the case’s alerts: fired in full, scheduled folded away', async () => {
    signIn({ user: { id: 'u-1', name: 'Dana Dispatcher', email: 'd@x.test', role: 'dispatcher' } });
    const detail = createCaseDetail();
    const fetchMock = stubFetch(({ url }) => {
      if (url.pathname === `/api/v1/cases/${detail.id}`) return jsonResponse(detail);
      if (url.pathname === '/api/v1/alerts') {
        return jsonResponse({
          items: [
            createAlert({ caseId: detail.id, caseReference: detail.reference }),
            createAlert({ caseId: detail.id, state: 'pending', firedAt: null, dueAt: '2026-11-23T14:30:00Z', message: '90 % used' }),
          ],
          nextCursor: null,
        });
      }
      return problemResponse({ status: 404, title: 'Not Found' });
    });
    renderWithProviders(<CaseRoute timeZone="Europe/Berlin" locale="en-US" />, { route: `/cases/${detail.id}`, path: '/cases/:caseId' });

    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(detail.reference);
    const alerts = within(screen.getByRole('region', { name: 'Alerts' }));
    expect(await alerts.findByText('75 % of the promise window used; 1 h left')).toBeInTheDocument();
    expect(alerts.getByRole('button', { name: 'Acknowledge' })).toBeInTheDocument();
    expect(alerts.getAllByTestId('alert-item')).toHaveLength(1);
    expect(alerts.getByText(/^1 more alert is scheduled, the next/)).toBeInTheDocument();
    expect(requestsOf(fetchMock).some((r) => r.url.pathname === '/api/v1/alerts' && r.url.searchParams.get('caseId') === detail.id)).toBe(true);
  });
});
