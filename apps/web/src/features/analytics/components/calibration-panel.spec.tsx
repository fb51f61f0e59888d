import { fireEvent, render, screen, within } from '@testing-library/react';
import type { CalibrationBin } from '@kept/contracts';
import { CalibrationPanel } from './calibration-panel';

const bin = (
  from: number,
  to: number,
  promises: number,
  kept: number,
  predicted: number | null,
  interval: CalibrationBin['interval'] = null,
): CalibrationBin => ({
  from,
  to,
  promises,
  kept,
  observed: promises ? kept / promises : null,
  predicted,
  interval,
});

// Intervals: the API's 95 % Wilson intervals of 1/4, 7/10 and 18/20.
const BINS: CalibrationBin[] = [
  bin(0, 0.5, 0, 0, null),
  bin(0.5, 0.6, 4, 1, 0.55, { low: 0.046, high: 0.699 }),
  bin(0.6, 0.7, 0, 0, null),
  bin(0.7, 0.8, 10, 7, 0.75, { low: 0.397, high: 0.892 }),
  bin(0.8, 0.9, 0, 0, null),
  bin(0.9, 1, 20, 18, 0.93, { low: 0.699, high: 0.972 }),
];

describe('CalibrationPanel', () => {
  beforeAll(() => {
    // recharts measures its container; jsdom has no layout.
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  });

  it('draws promised against observed for the bins with promises, each with its sample size and 95 % interval', () => {
    render(<CalibrationPanel bins={BINS} />);
    const region = screen.getByRole('region', { name: 'Calibration' });
    expect(within(region).getByRole('img', { name: /^Calibration:/ })).toHaveAccessibleName(
      'Calibration: promised 55 %, kept 25 % of 4 (95 % interval 4.6–69.9 %); promised 75 %, kept 70 % of 10 (95 % interval 39.7–89.2 %); ' +
        'promised 93 %, kept 90 % of 20 (95 % interval 69.9–97.2 %)',
    );
    const table = within(region).getByRole('table', { name: 'Calibration bins' });
    expect(within(table).getByRole('columnheader', { name: 'Decided promises (n)' })).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 6);
    expect(within(table).getByRole('row', { name: /^90–100 %/ })).toHaveTextContent('90–100 %201893 %90 % (70–97 %)');
    expect(within(table).getByRole('row', { name: /^50–60 %/ })).toHaveTextContent('50–60 %4155 %25 % (5–70 %)');
    expect(within(table).getByRole('row', { name: /^0–50 %/ })).toHaveTextContent('0–50 %00—');
  });

  it('exports the bins as CSV', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:csv';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    render(<CalibrationPanel bins={BINS.slice(0, 2)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(click).toHaveBeenCalled();
    expect(await created[0].text()).toBe(
      'promised_probability_from,promised_probability_to,promises,kept,mean_promised_probability,observed_keep_rate,observed_low_95,observed_high_95\r\n' +
        '0,0.5,0,0,,,,\r\n0.5,0.6,4,1,0.55,0.25,0.046,0.699\r\n',
    );
  });

  it('explains the empty state and offers no export', () => {
    render(<CalibrationPanel bins={[]} />);
    expect(screen.getByText(/No decided promise in this period carries a keep-probability yet/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });
});
