import { render, screen } from '@testing-library/react';
import { describeFourTimes, FourTimesChart } from './four-times-chart';

const fmt = (iso: string) => iso.slice(11, 16);
const base = { openedAt: '2026-11-23T08:00:00Z', requiredAt: '2026-11-23T16:00:00Z', expectedAt: '2026-11-23T14:00:00Z', promisedAt: '2026-11-23T15:00:00Z', satisfiedAt: null };

describe('FourTimesChart', () => {
  it('describes the four times and their gaps in words', () => {
    expect(describeFourTimes(base, new Date('2026-11-23T12:00:00Z'), fmt)).toBe(
      'Opened 08:00; needed by 16:00; expected by 14:00; promised by 15:00, 1 h before the need; now 3 h before the promise.',
    );
    expect(describeFourTimes({ ...base, satisfiedAt: '2026-11-23T17:00:00Z' }, new Date(), fmt)).toMatch(/satisfied 17:00, 2 h late\.$/);
    expect(describeFourTimes({ ...base, promisedAt: null }, new Date(), fmt)).toMatch(/no promise yet\.$/);
  });

  it('draws each time with its own shape and colours the band red only when the promise is after the need', () => {
    const { rerender } = render(<FourTimesChart times={base} now={new Date('2026-11-23T12:00:00Z')} formatTime={fmt} />);
    for (const id of ['mark-required', 'mark-expected', 'mark-promised', 'mark-now']) expect(screen.getByTestId(id)).toBeInTheDocument();
    expect(screen.queryByTestId('mark-satisfied')).not.toBeInTheDocument();
    expect(screen.getByTestId('promise-need-band')).toHaveClass('ft-band--inside');

    rerender(<FourTimesChart times={{ ...base, promisedAt: '2026-11-23T18:00:00Z', satisfiedAt: '2026-11-23T17:00:00Z' }} now={new Date('2026-11-23T19:00:00Z')} formatTime={fmt} />);
    expect(screen.getByTestId('promise-need-band')).toHaveClass('ft-band--late');
    expect(screen.getByTestId('mark-satisfied')).toBeInTheDocument();
    expect(screen.queryByTestId('mark-now')).not.toBeInTheDocument();
  });

  it('places the marks in time order from left to right', () => {
    render(<FourTimesChart times={base} now={new Date('2026-11-23T12:00:00Z')} formatTime={fmt} variant="full" milestones={[{ kind: 'arrived', at: '2026-11-23T10:00:00Z' }]} />);
    const xOf = (id: string) => Number(/M([\d.]+)/.exec(screen.getByTestId(id).querySelector('path')?.getAttribute('d') ?? '')?.[1]);
    const expected = Number(screen.getByTestId('mark-expected').querySelector('circle')?.getAttribute('cx'));
    expect(expected).toBeLessThan(xOf('mark-promised'));
    expect(xOf('mark-promised')).toBeLessThan(xOf('mark-required'));
    expect(screen.getByText('arrived')).toBeInTheDocument();
  });
});
