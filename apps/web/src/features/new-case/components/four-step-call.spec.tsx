import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CalendarResponse, ContractResponse, RecommendationResponse } from '@kept/contracts';
import { createCaseDetail } from '@/testing/factories/case-detail.factory';
import { jsonResponse, problemResponse, requestsOf, stubFetch, type FetchHandler } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { readBack } from './call-text';
import { FourStepCall } from './four-step-call';

const CUSTOMER = '11111111-1111-4111-8111-111111111111';
const SITE = '22222222-2222-4222-8222-222222222222';
const ENGINEER = { id: '33333333-3333-4333-8333-333333333333', name: 'Erik Engineer', openCases: 2, nextPromiseAt: '2026-11-23T14:00:00Z' };
const always = [['00:00', '24:00']] as [string, string][];
const CALENDAR: CalendarResponse = {
  id: 'cal-1',
  name: '24/7',
  definition: { timeZone: 'UTC', week: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always }, holidays: [] },
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const CONTRACT: ContractResponse = {
  id: '44444444-4444-4444-8444-444444444444',
  customerId: CUSTOMER,
  name: 'Premium',
  promiseMinutes: 240,
  promiseBasis: 'business',
  promiseDescription: 'On site within 4 hours',
  calendarId: 'cal-1',
  validFrom: null,
  validTo: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const NOW = new Date('2026-11-23T10:00:00Z');
const created = createCaseDetail({ id: '55555555-5555-4555-8555-555555555555', version: 1 });

const api: FetchHandler = ({ url, method }) => {
  if (url.pathname === '/api/v1/customers') return jsonResponse([{ id: CUSTOMER, name: 'Praxis am Markt', email: null, phone: null, version: 1, createdAt: '', updatedAt: '' }]);
  if (url.pathname === '/api/v1/sites') return jsonResponse([{ id: SITE, customerId: CUSTOMER, name: 'Lab', address: null, region: null, timeZone: 'Europe/Berlin', version: 1, createdAt: '' }]);
  if (url.pathname === '/api/v1/contracts') return jsonResponse([CONTRACT]);
  if (url.pathname === '/api/v1/calendars/cal-1') return jsonResponse(CALENDAR);
  if (url.pathname === '/api/v1/board/engineers') return jsonResponse([ENGINEER]);
  if (url.pathname === '/api/v1/recommendations') return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
  if (method === 'POST' && url.pathname === '/api/v1/cases') return jsonResponse(created, { status: 201 });
  if (method === 'POST' && url.pathname === `/api/v1/cases/${created.id}/milestones`) return jsonResponse({ ...created, version: 2 }, { status: 201 });
  throw new Error(`unexpected ${method} ${url.pathname}`);
};

const local = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

async function fillStepOne(requiredIso: string) {
  const customer = await screen.findByRole('combobox', { name: 'Customer' });
  await screen.findByRole('option', { name: 'Praxis am Markt' });
  fireEvent.change(customer, { target: { value: CUSTOMER } });
  fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'Instrument down' } });
  fireEvent.change(screen.getByLabelText('Problem'), { target: { value: 'Analyzer shows E-42' } });
  fireEvent.change(screen.getByLabelText(/She needs it resolved by/), { target: { value: local(requiredIso) } });
  fireEvent.change(screen.getByLabelText(/What is at stake, in her words/), { target: { value: 'The doctor calls patients at 4 pm.' } });
  fireEvent.click(screen.getByRole('radio', { name: '4' }));
  fireEvent.click(screen.getByLabelText('She confirmed: that is what she needs'));
}

describe('FourStepCall', () => {
  beforeEach(() => signIn());

  it('reads the need back as a sentence', () => {
    const text = readBack({ summary: 'Analyzer shows E-42', requiredAt: local('2026-11-23T12:00:00Z'), context: 'The doctor calls at 4 pm.' }, NOW, () => 'Mon 12:00');
    expect(text).toBe('You need “Analyzer shows E-42” resolved by Mon 12:00, within the next 2 h because the doctor calls at 4 pm — right?');
  });

  it('refuses to go on until the need is complete and confirmed', async () => {
    stubFetch(api);
    renderWithProviders(<FourStepCall now={NOW} />);
    await screen.findByRole('option', { name: 'Praxis am Markt' });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('Choose the customer')).toBeInTheDocument();
    expect(screen.getByText('Ask when she needs it resolved')).toBeInTheDocument();
    expect(screen.getByText('Choose how stressed she sounds')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/Please correct \d+ fields/);
    expect(screen.getByRole('heading', { name: /Step 1 of 4/ })).toBeInTheDocument();
  });

  it('walks the four steps and creates the case with the promise, then tells the engineer', async () => {
    const fetchMock = stubFetch(api);
    renderWithProviders(<FourStepCall now={NOW} />, { route: '/cases/new', path: '/cases/new' });
    await fillStepOne('2026-11-23T18:00:00Z');
    expect(screen.getByTestId('read-back')).toHaveTextContent('You need “Analyzer shows E-42” resolved by');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    expect(await screen.findByRole('heading', { name: /Step 2 of 4/ })).toHaveFocus();
    const erik = await screen.findByRole('radio', { name: /Erik Engineer/ });
    expect(screen.getByText(/2 open cases, next promise/)).toBeInTheDocument();
    fireEvent.click(erik);
    fireEvent.change(screen.getByLabelText('Engineer ETA (minutes from now)'), { target: { value: '150' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: /Step 3 of 4/ });
    // 240 business minutes from the contract: arrival 150 (the ETA beats half of 240), diagnosis 36, fix 60, test 24.
    await waitFor(() => expect(screen.getByTestId('promise-summary')).toHaveTextContent('4 h 30 min of business time'));
    expect(screen.getByLabelText('Arrival (minutes)')).toHaveValue('150');
    expect(screen.getByText(/Built from the contract “Premium”/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Fix (minutes)'), { target: { value: '90' } });
    await waitFor(() => expect(screen.getByTestId('promise-summary')).toHaveTextContent('5 h of business time'));
    fireEvent.click(screen.getByLabelText('She accepted this promise'));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: /Step 4 of 4/ });
    const message = screen.getByLabelText(/Message to the engineer: the exact promise/) as HTMLTextAreaElement;
    expect(message.value).toMatch(/^Erik, I promised Praxis am Markt “Analyzer shows E-42” resolved by .* at the latest: arrival by/);
    fireEvent.click(screen.getByRole('button', { name: 'Create case and send to Erik' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/cases/${created.id}`));
    const posts = requestsOf(fetchMock).filter((r) => r.method === 'POST' && r.url.pathname !== '/api/v1/recommendations');
    // Asked once the typing settled at most; after its 404 it is not asked again.
    expect(requestsOf(fetchMock).filter((r) => r.url.pathname === '/api/v1/recommendations').length).toBeLessThanOrEqual(1);
    expect(posts.map((p) => p.url.pathname)).toEqual(['/api/v1/cases', `/api/v1/cases/${created.id}/milestones`]);
    expect(posts[0].headers.get('idempotency-key')).toMatch(/\S{8,}/);
    expect(posts[0].body).toEqual(
      expect.objectContaining({
        customerId: CUSTOMER,
        siteId: SITE,
        contractId: CONTRACT.id,
        category: 'Instrument down',
        summary: 'Analyzer shows E-42',
        stressLevel: 4,
        requiredAt: '2026-11-23T18:00:00.000Z',
        promisedAt: '2026-11-23T15:00:00.000Z',
        promiseBreakdown: { arrivalMinutes: 150, diagnosisMinutes: 36, fixMinutes: 90, testMinutes: 24 },
        customerAccepted: 'yes',
        assigneeId: ENGINEER.id,
      }),
    );
    // The server computes the promise's keep-probability itself: the client never sends one.
    expect(posts[0].body).not.toHaveProperty('keepProbability');
    expect(posts[1].headers.get('if-match')).toBe('W/"1"');
    expect((posts[1].body as { kind: string; note: string }).kind).toBe('dispatched');
    // The note is the message itself: the assignment travels as data (assigneeId above), not in the note.
    expect((posts[1].body as { note: string }).note).toMatch(/^Erik, I promised/);
  });

  it('warns when the promise lands after the need and offers options instead of a bare no', async () => {
    stubFetch(api);
    renderWithProviders(<FourStepCall now={NOW} />);
    await fillStepOne('2026-11-23T12:00:00Z');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 2 of 4/ });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 4/ });
    // 240 business minutes from 10:00 on a 24/7 calendar: 14:00, two hours after the 12:00 need.
    expect(await screen.findByText('This promise lands 2 h after her need')).toBeInTheDocument();
    expect(screen.getByLabelText('Loaner instrument until the fix')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Promise breakdown' })).getAllByRole('textbox')).toHaveLength(4);
  });

  it('uses the recommender: its promise, keep-probability, breakdown, expectation and options', async () => {
    const recommendation = (promisedAt?: string): RecommendationResponse => ({
      openedAt: NOW.toISOString(),
      target: 0.9,
      recommended: { promisedAt: '2026-11-23T13:00:00Z', durationMinutes: 180, keepProbability: 0.9 },
      typed: promisedAt ? { promisedAt, durationMinutes: 240, keepProbability: 0.97 } : null,
      breakdown: [
        { step: 'arrival', minutes: 90, source: 'history' },
        { step: 'diagnosis', minutes: 30, source: 'history' },
        { step: 'fix', minutes: 45, source: 'history' },
        { step: 'test', minutes: 15, source: 'proportional' },
      ],
      basis: { segment: { category: 'Instrument down' }, n: 124, effectiveN: 80, priorStrength: 5, halfLifeDays: 180, extrapolated: false, clock: 'business', calibratedLevel: 0.9, modelCases: 900, modelBuiltAt: NOW.toISOString() },
      expectation: { expectedAt: '2026-11-23T14:00:00Z', dominatingSource: 'previous_experience', n: 12, effectiveN: 9, sources: [] },
      warning: { code: 'PROMISE_AFTER_REQUIRED', message: 'late', lateByMinutes: 60 },
      options: [{ kind: 'loaner', title: 'Loaner analyzer', detail: 'From the Munich pool, on site in 2 h' }],
      modelStatus: 'ready',
    });
    const fetchMock = stubFetch((request) => {
      if (request.url.pathname === '/api/v1/recommendations') {
        return jsonResponse(recommendation((request.body as { promisedAt?: string }).promisedAt));
      }
      return api(request);
    });
    renderWithProviders(<FourStepCall now={NOW} />);
    await fillStepOne('2026-11-23T12:00:00Z');
    expect(await screen.findByTestId('expectation-hint')).toHaveTextContent('(Previous experience, 12 past cases)');
    fireEvent.click(screen.getByRole('button', { name: 'Use it' }));
    expect(screen.getByLabelText(/She expects it by/)).toHaveValue(local('2026-11-23T14:00:00Z'));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 2 of 4/ });
    fireEvent.click(await screen.findByRole('radio', { name: /Erik Engineer/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 4/ });

    expect(await screen.findByText('Recommended promise')).toBeInTheDocument();
    expect(screen.getByText(/Kept with 90 % probability \(target 90 %\), from 124 similar cases \(category Instrument down\)/)).toBeInTheDocument();
    expect(screen.getByLabelText('Arrival (minutes)')).toHaveValue('90');
    expect(screen.getByTestId('keep-probability')).toHaveTextContent('90 %');
    expect(screen.getByLabelText('Loaner analyzer: From the Munich pool, on site in 2 h')).toBeInTheDocument();

    // Adjusting a step asks for the keep-probability of the typed promise.
    fireEvent.change(screen.getByLabelText('Fix (minutes)'), { target: { value: '105' } });
    await waitFor(() => expect(screen.getByTestId('keep-probability')).toHaveTextContent('97 %'));
    // The typed promise's request (the base recommendation may be asked again meanwhile, without one).
    const typedRequest = requestsOf(fetchMock)
      .filter((r) => r.url.pathname === '/api/v1/recommendations' && (r.body as { promisedAt?: string }).promisedAt)
      .at(-1)!;
    expect(typedRequest.body).toEqual(expect.objectContaining({ category: 'Instrument down', contractId: CONTRACT.id, promisedAt: '2026-11-23T14:00:00.000Z' }));

    // The case is created with the promise the dispatcher settled on; the server computes its keep-probability.
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 4 of 4/ });
    fireEvent.click(screen.getByRole('button', { name: 'Create case and send to Erik' }));
    await waitFor(() => expect(requestsOf(fetchMock).some((r) => r.method === 'POST' && r.url.pathname === '/api/v1/cases')).toBe(true));
    const create = requestsOf(fetchMock).find((r) => r.method === 'POST' && r.url.pathname === '/api/v1/cases')!;
    expect(create.body).toEqual(expect.objectContaining({ promisedAt: '2026-11-23T14:00:00.000Z' }));
    expect(create.body).not.toHaveProperty('keepProbability');
  });
});
