import { screen, within } from '@testing-library/react';
import type { StressAnalyticsResponse, StressLevelRow } from '@kept/contracts';
import { jsonResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { StressPanel } from './stress-panel';

const level = (stress: number | null, overrides: Partial<StressLevelRow> = {}): StressLevelRow => ({
  stress,
  closed: 0,
  kept: 0,
  missed: 0,
  keepRate: null,
  needMet: 0,
  needMissed: 0,
  medianLateHours: null,
  medianPromisedMinusRequiredHours: null,
  medianSatisfiedMinusRequiredHours: null,
  surveys: 0,
  meanCsat: null,
  csatCounts: [0, 0, 0, 0, 0],
  ...overrides,
});

const STRESS: StressAnalyticsResponse = {
  from: '2026-08-25T00:00:00Z',
  to: '2026-11-23T00:00:00Z',
  levels: [
    level(1),
    level(2, { closed: 4, kept: 4, keepRate: 1, surveys: 2, meanCsat: 4.5, medianLateHours: -3 }),
    level(3),
    level(4, { closed: 2, kept: 1, missed: 1, keepRate: 0.5, surveys: 1, meanCsat: 2, medianLateHours: 1.5 }),
    level(5),
  ],
};

describe('StressPanel', () => {
  beforeAll(() => {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  });

  it('shows keep-rate and CSAT per stress level, in words for screen readers and in a table', async () => {
    signIn();
    const fetchMock = stubFetch(() => jsonResponse(STRESS));
    renderWithProviders(<StressPanel range={{ days: 90 }} />);
    const chart = await screen.findByTestId('stress-chart');
    expect(chart.getAttribute('aria-label')).toContain('stress 2: keep-rate 100 %, mean CSAT 4.5');
    expect(chart.getAttribute('aria-label')).toContain('stress 4: keep-rate 50 %, mean CSAT 2');
    const rows = within(screen.getByTestId('stress-table')).getAllByRole('row');
    expect(rows).toHaveLength(6);
    expect(rows[4].textContent).toContain('+1.5 h');
    expect(requestsOf(fetchMock)[0].url.pathname).toBe('/api/v1/analytics/stress');
  });
});
