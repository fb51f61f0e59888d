import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AnalyticsSummaryResponse } from '@kept/contracts';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { AnalyticsView } from './analytics-view';
import { toCsv } from './csv';

const buckets = (counts: number[]) => counts.map((count, i) => ({ fromHours: i - 6, toHours: i - 5, count }));

const SUMMARY: AnalyticsSummaryResponse = {
  from: '2026-08-25T00:00:00Z',
  to: '2026-11-23T00:00:00Z',
  targetKeepRate: 0.9,
  totals: { closed: 10, kept: 8, missed: 2, keepRate: 0.8, needMet: 7, needMissed: 3, open: 4 },
  keepRateByWeek: [
    { period: '2026-11-09', kept: 3, missed: 1, keepRate: 0.75 },
    { period: '2026-11-16', kept: 5, missed: 1, keepRate: 5 / 6 },
  ],
  satisfiedMinusPromised: buckets([0, 1, 2, 3, 1, 1, 1, 1, 0, 0, 0, 0]),
  promisedMinusRequired: buckets([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  byCategory: [{ key: 'Calibration', label: 'Calibration, "QC"', closed: 10, kept: 8, missed: 2, keepRate: 0.8, medianLateHours: -1.5, needMet: 7, needMissed: 3 }],
  byCustomer: [],
  byEngineer: [{ key: 'e1', label: 'Erik Engineer', closed: 10, kept: 8, missed: 2, keepRate: 0.8, medianLateHours: -1.5, needMet: 7, needMissed: 3 }],
  byTeam: [
    { key: 'Field team North', label: 'Field team North', closed: 7, kept: 6, missed: 1, keepRate: 6 / 7, medianLateHours: -2, needMet: 5, needMissed: 2 },
    { key: 'none', label: 'No team', closed: 3, kept: 2, missed: 1, keepRate: 2 / 3, medianLateHours: 0.5, needMet: 2, needMissed: 1 },
  ],
  calibration: [],
};

describe('AnalyticsView', () => {
  beforeAll(() => {
    // recharts measures its container; jsdom has no layout.
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  });
  beforeEach(() => signIn());

  it('shows the keep-rate, the gap distributions in words for screen readers, and the breakdowns', async () => {
    const fetchMock = stubFetch(() => jsonResponse(SUMMARY));
    renderWithProviders(<AnalyticsView />);

    expect(await screen.findByTestId('kpi-keep-rate')).toHaveTextContent('80 % target 90 %');
    // The headline comes first, above the KPIs and every chart.
    const headline = screen.getByTestId('analytics-headline');
    expect(headline).toHaveTextContent('Only 80 % of promises kept (target 90 %), and 30 % of needs missed');
    expect(headline).toHaveTextContent('From 10 decided promises and 10 cases with a recorded need; target keep-rate 90 %.');
    for (const later of [screen.getByTestId('kpi-keep-rate'), ...screen.getAllByRole('img')]) {
      expect(headline.compareDocumentPosition(later) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
    expect(screen.getByRole('img', { name: /Keep-rate by week: 2026-11-09: 75 %, 2026-11-16: 83 %/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Satisfied − promised: .*: 3/ })).toBeInTheDocument();
    expect(screen.getAllByText('No cases in this period.')).toHaveLength(1); // promised − required is empty
    expect(screen.getByText(/No decided promise in this period carries a keep-probability yet/)).toBeInTheDocument();
    const byCategory = screen.getByRole('region', { name: 'By category' });
    expect(within(byCategory).getByRole('row', { name: /Calibration/ })).toHaveTextContent('80 %');
    expect(within(byCategory).getByRole('row', { name: /Calibration/ })).toHaveTextContent('-1.5 h');
    expect(within(screen.getByRole('region', { name: 'By customer' })).getByText('No closed cases in this period.')).toBeInTheDocument();
    const byTeam = screen.getByRole('region', { name: 'By team' });
    expect(within(byTeam).getAllByRole('row')).toHaveLength(3);
    expect(within(byTeam).getByRole('row', { name: /Field team North/ })).toHaveTextContent('Field team North761 86 %-2 h5 / 2');
    expect(within(byTeam).getByRole('row', { name: /No team/ })).toHaveTextContent('+0.5 h');

    const [request] = requestsOf(fetchMock);
    expect(request.url.pathname).toBe('/api/v1/analytics/summary');
    expect(Date.now() - Date.parse(request.url.searchParams.get('from') ?? '')).toBeGreaterThan(89 * 86_400_000);

    fireEvent.change(screen.getByLabelText('Period'), { target: { value: '30' } });
    const summaries = () => requestsOf(fetchMock).filter((r) => r.url.pathname.endsWith('/analytics/summary'));
    await waitFor(() => expect(summaries()).toHaveLength(2));
    expect(Date.now() - Date.parse(summaries()[1].url.searchParams.get('from') ?? '')).toBeLessThan(31 * 86_400_000);
  });

  it('exports a breakdown as CSV', async () => {
    stubFetch(() => jsonResponse(SUMMARY));
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:csv';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderWithProviders(<AnalyticsView />);
    const byCategory = await screen.findByRole('region', { name: 'By category' });
    fireEvent.click(within(byCategory).getByRole('button', { name: 'Export CSV' }));
    expect(click).toHaveBeenCalled();
    expect(await created[0].text()).toBe(
      'Category,closed,kept,missed,keep_rate,median_satisfied_minus_promised_hours,need_met,need_missed\r\n"Calibration, ""QC""",10,8,2,0.8,-1.5,7,3\r\n',
    );
  });

  it('exports the team breakdown as CSV', async () => {
    stubFetch(() => jsonResponse(SUMMARY));
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:csv';
    });
    URL.revokeObjectURL = jest.fn();
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderWithProviders(<AnalyticsView />);
    const byTeam = await screen.findByRole('region', { name: 'By team' });
    fireEvent.click(within(byTeam).getByRole('button', { name: 'Export CSV' }));
    expect(await created[0].text()).toBe(
      'Team,closed,kept,missed,keep_rate,median_satisfied_minus_promised_hours,need_met,need_missed\r\n' +
        'Field team North,7,6,1,0.8571,-2,5,2\r\nNo team,3,2,1,0.6667,0.5,2,1\r\n',
    );
  });

  it('shows the error and retries', async () => {
    let calls = 0;
    stubFetch(() => (++calls === 1 ? problemResponse({ status: 500, title: 'Error' }) : jsonResponse(SUMMARY)));
    renderWithProviders(<AnalyticsView />);
    expect(await screen.findByText('Analytics could not be loaded')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('kpi-keep-rate')).toBeInTheDocument();
  });
});

describe('toCsv', () => {
  it('quotes fields that need it and defuses spreadsheet formulas', () => {
    expect(toCsv(['a', 'b'], [['=SUM(A1)', 'x\ny'], [null, -2]])).toBe('a,b\r\n\'=SUM(A1),"x\ny"\r\n,-2\r\n');
  });
});
