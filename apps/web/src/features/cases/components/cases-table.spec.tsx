import type { ReactElement } from 'react';
import { render as renderInDom, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { createCaseSummary } from '@/testing/factories/case-summary.factory';
import { CasesTable } from './cases-table';

/** The references link to the case pages, so the table renders inside a router. */
const render = (ui: ReactElement) => renderInDom(<MemoryRouter>{ui}</MemoryRouter>);

const format = { timeZone: 'Europe/Berlin', locale: 'en-US' };
const now = new Date('2026-11-23T12:00:00Z');
const norm = (text: string | null) => (text ?? '').replace(/\s+/g, ' ');

describe('CasesTable', () => {
  it('is a captioned table with column headers', () => {
    render(
      <CasesTable
        cases={[createCaseSummary()]}
        caption="Open cases. Times in Europe/Berlin (GMT+1)."
        format={format}
        now={now}
      />,
    );

    const table = screen.getByRole('table', { name: 'Open cases. Times in Europe/Berlin (GMT+1).' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers).toEqual([
      'Reference',
      'Case',
      'Status',
      'Priority',
      'Required',
      'Promised',
      'Satisfied',
      'Promise',
    ]);
    for (const header of within(table).getAllByRole('columnheader')) expect(header).toHaveAttribute('scope', 'col');
  });

  it('renders one row per case with its reference as the row header', () => {
    const cases = [
      createCaseSummary({
        reference: 'K-1042',
        summary: 'Centrifuge will not spin up',
        customer: { id: 'c1', name: 'Acme Labs' },
      }),
      createCaseSummary({
        reference: 'K-1041',
        status: 'paused',
        pauseReason: 'Waiting for parts',
        priority: 'urgent',
      }),
    ];
    render(<CasesTable cases={cases} caption="Cases" format={format} now={now} />);

    const rows = screen.getAllByTestId('case-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('rowheader')).toHaveTextContent('K-1042');
    expect(within(rows[0]).getByRole('link', { name: 'K-1042' })).toHaveAttribute('href', `/cases/${cases[0].id}`);
    expect(rows[0]).toHaveTextContent('Centrifuge will not spin up');
    expect(rows[0]).toHaveTextContent('Acme Labs · Main lab');
    expect(within(rows[1]).getByText('Paused')).toHaveAttribute('title', 'Paused: Waiting for parts');
    expect(rows[1]).toHaveTextContent('Urgent');
  });

  it('shows times in the given zone, with the full instant in a tooltip', () => {
    const item = createCaseSummary({
      requiredAt: '2026-11-23T16:00:00Z',
      promisedAt: '2026-11-23T15:30:00Z',
      satisfiedAt: null,
    });
    render(<CasesTable cases={[item]} caption="Cases" format={format} now={now} />);

    const [required, promised] = screen.getAllByRole('time');
    expect(norm(required.textContent)).toBe('Mon 23 Nov, 17:00');
    expect(required).toHaveAttribute('datetime', '2026-11-23T16:00:00Z');
    expect(norm(required.getAttribute('title'))).toBe('Monday 23 November 2026, 17:00 Europe/Berlin (GMT+1)');
    expect(norm(promised.textContent)).toBe('Mon 23 Nov, 16:30');
    expect(screen.getByTestId('case-row')).toHaveTextContent('Not set');
  });

  it.each([
    ['kept', 'Kept', null],
    ['missed', 'Missed', 'by 2 h 5 min'],
    ['open', 'Open', null],
  ] as const)('says the promise verdict %s in words', (verdict, text, note) => {
    const item = createCaseSummary({
      promisedAt: '2026-11-23T15:00:00Z',
      gaps: {
        promise: verdict,
        satisfiedMinusPromised: verdict === 'missed' ? { wallMinutes: 125, businessMinutes: 125 } : null,
      },
    });
    render(<CasesTable cases={[item]} caption="Cases" format={format} now={now} />);

    const cell = screen.getAllByRole('cell').at(-1)!;
    expect(within(cell).getByText(text)).toBeInTheDocument();
    if (note) expect(cell).toHaveTextContent(note);
  });

  it('flags an open promise that is already past, and a case without a promise', () => {
    const overdue = createCaseSummary({ promisedAt: '2026-11-23T09:30:00Z', gaps: { promise: 'open' } });
    const unpromised = createCaseSummary({ promisedAt: null, gaps: { promise: null, promisedMinusRequired: null } });
    render(<CasesTable cases={[overdue, unpromised]} caption="Cases" format={format} now={now} />);

    const [first, second] = screen.getAllByTestId('case-row');
    expect(first).toHaveTextContent('overdue 2 h 30 min');
    expect(second).toHaveTextContent('No promise');
  });

  it('notes when the promise lands after the need', () => {
    const late = createCaseSummary({ gaps: { promisedMinusRequired: { wallMinutes: 95, businessMinutes: 95 } } });
    const inside = createCaseSummary({ gaps: { promisedMinusRequired: { wallMinutes: -30, businessMinutes: -30 } } });
    render(<CasesTable cases={[late, inside]} caption="Cases" format={format} now={now} />);

    const [first, second] = screen.getAllByTestId('case-row');
    expect(first).toHaveTextContent('1 h 35 min after need');
    expect(second).toHaveTextContent('within need');
  });

  it('shows placeholder rows, not cases, while loading', () => {
    render(<CasesTable cases={[]} caption="Cases" format={format} now={now} loading />);

    expect(screen.getByRole('table')).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryAllByTestId('case-row')).toHaveLength(0);
  });
});
