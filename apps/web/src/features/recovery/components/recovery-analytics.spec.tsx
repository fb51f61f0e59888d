import { fireEvent, screen, within } from '@testing-library/react';
import type { GoodwillAnalytics, RootCauseAnalytics } from '@kept/contracts';
import { jsonResponse, problemResponse, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { RecoveryAnalytics } from './recovery-analytics';

const RC: RootCauseAnalytics = {
  pareto: [
    { category: 'parts', count: 3, hoursLost: 10.5, cumulativeShare: 0.6 },
    { category: 'travel', count: 2, hoursLost: 4, cumulativeShare: 1 },
  ],
  byTeam: [
    { team: 'North', category: 'parts', count: 3, hoursLost: 10.5 },
    { team: null, category: 'travel', count: 2, hoursLost: 4 },
  ],
  openActions: 4,
  overdueActions: 1,
  queued: 2,
};
const GW: GoodwillAnalytics = {
  currency: 'EUR',
  options: [{ option: 'Loaner', offered: 4, chosen: 3, closed: 2, kept: 1 }],
  byStress: [
    { stressLevel: 2, offers: 1, givenMinor: 100_00 },
    { stressLevel: 5, offers: 3, givenMinor: 650_00 },
  ],
  csat: { available: false, reason: 'No customer has answered the status page survey yet' },
};

const api =
  (gw: GoodwillAnalytics, rc: RootCauseAnalytics = RC): FetchHandler =>
  ({ url }) => {
    if (url.pathname === '/api/v1/root-causes/analytics') return jsonResponse(rc);
    if (url.pathname === '/api/v1/root-causes/queue') return jsonResponse({ items: [] });
    if (url.pathname === '/api/v1/goodwill/analytics') return jsonResponse(gw);
    if (url.pathname === '/api/v1/goodwill/approvals') return jsonResponse({ items: [] });
    return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
  };

describe('RecoveryAnalytics', () => {
  beforeAll(() => {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  });
  beforeEach(() => signIn({ user: { id: 'u-m', name: 'Mia Manager', email: 'manager@demo.kept.test', role: 'manager' } }));

  it('draws the Pareto of causes (count, hours lost, cumulative share), open actions and causes by team', async () => {
    stubFetch(api(GW));
    renderWithProviders(<RecoveryAnalytics />);
    const chart = await screen.findByRole('img', { name: 'Pareto chart of root causes' });
    expect(chart).toHaveAccessibleDescription('Ranked by cases: Parts: 3 cases, 10.5 h lost, 60 % cumulative; Travel: 2 cases, 4 h lost, 100 % cumulative');
    const rows = within(screen.getByTestId('pareto-table')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual(['CauseCasesHours lostCumulative share (cases)', 'Parts310.560 %', 'Travel24100 %']);
    expect(screen.getByTestId('root-cause-summary')).toHaveTextContent('Open corrective actions: 4 (1 overdue) · missed cases waiting for a root cause: 2');
    expect(within(screen.getByRole('table', { name: 'Causes by category and team' })).getByRole('row', { name: /Travel — 2 4/ })).toBeInTheDocument();
  });

  it('re-ranks the Pareto by hours lost: a rare costly cause comes first', async () => {
    stubFetch(
      api(GW, {
        ...RC,
        pareto: [
          { category: 'scheduling', count: 4, hoursLost: 2, cumulativeShare: 0.8 },
          { category: 'parts', count: 1, hoursLost: 12, cumulativeShare: 1 },
        ],
      }),
    );
    renderWithProviders(<RecoveryAnalytics />);
    const chart = await screen.findByRole('img', { name: 'Pareto chart of root causes' });
    expect(chart).toHaveAccessibleDescription(/^Ranked by cases: Scheduling: 4 cases/);
    fireEvent.click(within(screen.getByRole('group', { name: 'Rank causes by' })).getByRole('button', { name: 'Hours lost' }));
    // 12 of 14 hours: 86 %, then all of them.
    expect(chart).toHaveAccessibleDescription('Ranked by hours lost: Parts: 1 case, 12 h lost, 86 % cumulative; Scheduling: 4 cases, 2 h lost, 100 % cumulative');
    expect(within(screen.getByRole('group', { name: 'Rank causes by' })).getByRole('button', { name: 'Hours lost' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows goodwill by stress level and which options customers take and how those cases end', async () => {
    stubFetch(api(GW));
    renderWithProviders(<RecoveryAnalytics />);
    const stress = await screen.findByTestId('goodwill-stress-chart');
    expect(stress.getAttribute('aria-label')).toMatch(/stress 5: 3 offers, €650\.00 given/);
    expect(screen.getByTestId('options-chart').getAttribute('aria-label')).toBe('Options: Loaner offered 4, chosen 3, kept 1');
    expect(within(screen.getByRole('table', { name: 'Options taken' })).getByRole('row', { name: 'Loaner 4 3 2 1' })).toBeInTheDocument();
  });

  it('says that no survey data exists instead of drawing CSAT from nothing', async () => {
    stubFetch(api(GW));
    renderWithProviders(<RecoveryAnalytics />);
    expect(await screen.findByTestId('csat-empty')).toHaveTextContent('No survey data yet. No customer has answered the status page survey yet: CSAT after goodwill appears once');
    expect(screen.queryByTestId('csat-chart')).toBeNull();
  });

  it('compares CSAT after goodwill with missed and kept cases without it once customers answered', async () => {
    stubFetch(
      api({
        ...GW,
        csat: {
          available: true,
          groups: [
            { group: 'goodwill', responses: 4, average: 4.25 },
            { group: 'missed_without', responses: 3, average: 2.33 },
          ],
        },
      }),
    );
    renderWithProviders(<RecoveryAnalytics />);
    const chart = await screen.findByTestId('csat-chart');
    expect(chart.getAttribute('aria-label')).toBe('Mean CSAT: After goodwill 4.25 of 5 (4 answers); Missed, no goodwill 2.33 of 5 (3 answers)');
    expect(screen.queryByTestId('csat-empty')).toBeNull();
  });

  it('has empty states before the first root cause and the first option', async () => {
    stubFetch(api({ ...GW, options: [], byStress: [] }, { pareto: [], byTeam: [], openActions: 0, overdueActions: 0, queued: 0 }));
    renderWithProviders(<RecoveryAnalytics />);
    expect(await screen.findByText(/No root causes recorded yet/)).toBeInTheDocument();
    expect(await screen.findByText(/No options recorded yet/)).toBeInTheDocument();
    expect(screen.getByText('No goodwill offered yet.')).toBeInTheDocument();
  });
});
