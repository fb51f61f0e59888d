import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_GOODWILL_SETTINGS, type CalendarResponse, type ContractResponse, type CustomerResponse, type RecommendationResponse } from '@kept/contracts';
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
  if (url.pathname === '/api/v1/customers') return jsonResponse([{ id: CUSTOMER, name: 'Praxis am Markt', email: null, phone: null, language: 'en', version: 1, createdAt: '', updatedAt: '' }]);
  if (url.pathname === '/api/v1/sites') return jsonResponse([{ id: SITE, customerId: CUSTOMER, name: 'Lab', address: null, region: null, timeZone: 'Europe/Berlin', version: 1, createdAt: '' }]);
  if (url.pathname === '/api/v1/contracts') return jsonResponse([CONTRACT]);
  if (url.pathname === '/api/v1/calendars/cal-1') return jsonResponse(CALENDAR);
  if (url.pathname === '/api/v1/board/engineers') return jsonResponse([ENGINEER]);
  if (url.pathname === '/api/v1/recommendations') return problemResponse({ status: 404, title: 'Not Found', code: 'NOT_FOUND' });
  if (url.pathname === '/api/v1/goodwill/settings') return jsonResponse({ ...DEFAULT_GOODWILL_SETTINGS, version: 0 });
  if (method === 'POST' && url.pathname === '/api/v1/cases') return jsonResponse(created, { status: 201 });
  if (method === 'POST' && url.pathname === `/api/v1/cases/${created.id}/options`) return jsonResponse({ id: 'o1' }, { status: 201 });
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
    // The organization's own list (goodwill settings), not a list built into the app.
    expect(await screen.findByRole('checkbox', { name: 'Loaner' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Later slot with compensation' })).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Promise breakdown' })).getAllByRole('textbox')).toHaveLength(4);
  });

  it('records the options offered on the late promise and the one she chose in the case ledger', async () => {
    const fetchMock = stubFetch(api);
    renderWithProviders(<FourStepCall now={NOW} />, { route: '/cases/new', path: '/cases/new' });
    await fillStepOne('2026-11-23T12:00:00Z');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Erik Engineer/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 4/ });
    const options = await screen.findByRole('group', { name: 'Options offered' });
    fireEvent.click(within(options).getByRole('checkbox', { name: 'Loaner' }));
    fireEvent.click(within(options).getByRole('checkbox', { name: 'Remote fix' }));
    // Her own idea, typed and added with Enter: Enter adds the option and does not leave the step.
    const other = screen.getByLabelText('Another option (free text)');
    fireEvent.change(other, { target: { value: 'Run the samples at the partner lab' } });
    fireEvent.keyDown(other, { key: 'Enter' });
    expect(screen.getByRole('heading', { name: /Step 3 of 4/ })).toBeInTheDocument();
    expect(within(options).getByRole('checkbox', { name: 'Run the samples at the partner lab' })).toBeChecked();
    expect(other).toHaveValue('');
    const chose = screen.getByRole('group', { name: 'She chose' });
    expect(within(chose).getAllByRole('radio').map((r) => r.parentElement?.textContent)).toEqual([
      'Loaner',
      'Remote fix',
      'Run the samples at the partner lab',
      'Not decided yet',
    ]);
    fireEvent.click(within(chose).getByRole('radio', { name: 'Remote fix' }));
    // Taking an option back removes it from what she can choose.
    fireEvent.click(within(options).getByRole('checkbox', { name: 'Loaner' }));
    expect(within(screen.getByRole('group', { name: 'She chose' })).queryByRole('radio', { name: 'Loaner' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 4 of 4/ });
    fireEvent.click(screen.getByRole('button', { name: 'Create case and send to Erik' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/cases/${created.id}`));
    const posts = requestsOf(fetchMock).filter((r) => r.method === 'POST' && r.url.pathname !== '/api/v1/recommendations');
    expect(posts.map((p) => p.url.pathname)).toEqual(['/api/v1/cases', `/api/v1/cases/${created.id}/options`, `/api/v1/cases/${created.id}/milestones`]);
    expect(posts[1].body).toEqual({ offered: ['Remote fix', 'Run the samples at the partner lab'], chosen: 'Remote fix' });
  });

  it('stays on the call and says so when the options could not be recorded', async () => {
    stubFetch((req) =>
      req.method === 'POST' && req.url.pathname.endsWith('/options') ? problemResponse({ status: 400, title: 'Bad Request', code: 'VALIDATION_FAILED' }) : api(req),
    );
    renderWithProviders(<FourStepCall now={NOW} />, { route: '/cases/new', path: '/cases/new' });
    await fillStepOne('2026-11-23T12:00:00Z');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Erik Engineer/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 4/ });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Loaner' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 4 of 4/ });
    fireEvent.click(screen.getByRole('button', { name: 'Create case and send to Erik' }));
    expect(await screen.findByText('The case was created, but the options offered were not recorded')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/cases/new');
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
    // The recommender's option for this case: its title is the option, its detail describes it.
    expect(screen.getByRole('checkbox', { name: 'Loaner analyzer' })).toHaveAccessibleDescription('From the Munich pool, on site in 2 h');

    // Adjusting a step asks for the keep-probability of the typed promise.
    fireEvent.change(screen.getByLabelText('Fix (minutes)'), { target: { value: '105' } });
    await waitFor(() => expect(screen.getByTestId('keep-probability')).toHaveTextContent('97 %'));
    // The typed promise's request (the plain one may be asked again meanwhile, when its answer goes stale).
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

  it('says why arrival is longer than the engineer’s ETA, lets the dispatcher use the ETA, and says how much history the probability rests on', async () => {
    // Few similar cases, and their worst-case arrival (546 min) far beyond the engineer's 90 min.
    const recommendation = (promisedAt?: string): RecommendationResponse => ({
      openedAt: NOW.toISOString(),
      target: 0.9,
      recommended: { promisedAt: '2026-11-23T20:06:00Z', durationMinutes: 606, keepProbability: 0.9 },
      typed: promisedAt ? { promisedAt, durationMinutes: 150, keepProbability: 0.35 } : null,
      breakdown: [
        { step: 'arrival', minutes: 546, source: 'history' },
        { step: 'diagnosis', minutes: 30, source: 'history' },
        { step: 'fix', minutes: 20, source: 'history' },
        { step: 'test', minutes: 10, source: 'proportional' },
      ],
      basis: {
        segment: { category: 'Instrument down' },
        n: 2,
        effectiveN: 2,
        priorStrength: 5,
        halfLifeDays: 180,
        extrapolated: false,
        clock: 'business',
        calibratedLevel: 0.9,
        modelCases: 40,
        modelBuiltAt: NOW.toISOString(),
        reason: '34 % of these requests were never closed; the longest promise that can be stood behind (6 days) is kept about 58 % of the time.',
      },
      expectation: { expectedAt: null, dominatingSource: null, n: 0, effectiveN: 0, sources: [] },
      warning: null,
      options: [],
      modelStatus: 'ready',
    });
    const fetchMock = stubFetch((request) =>
      request.url.pathname === '/api/v1/recommendations'
        ? jsonResponse(recommendation((request.body as { promisedAt?: string }).promisedAt))
        : api(request),
    );
    renderWithProviders(<FourStepCall now={NOW} />);
    // Every required field of step 1 is marked alike (the class draws the asterisk; the control says aria-required).
    expect(screen.getByText(/Fields marked/)).toHaveTextContent('Fields marked * are required.');
    for (const label of ['Customer', 'Category', 'Problem', 'What is at stake, in her words']) {
      expect(screen.getByText(label, { selector: 'label' })).toHaveClass('is-required');
      expect(screen.getByLabelText(label)).toHaveAttribute('aria-required', 'true');
    }
    expect(screen.getByText(/She needs it resolved by/, { selector: 'label' })).toHaveClass('is-required');
    expect(screen.getByText(/How stressed is she/, { selector: 'legend' })).toHaveClass('is-required');
    // Optional fields are not marked.
    expect(screen.getByText(/She expects it by/, { selector: 'label' })).not.toHaveClass('is-required');
    expect(screen.getByText('Site', { selector: 'label' })).not.toHaveClass('is-required');

    await fillStepOne('2026-11-24T18:00:00Z');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Erik Engineer/ }));
    fireEvent.change(screen.getByLabelText('Engineer ETA (minutes from now)'), { target: { value: '90' } });
    // Durations read as hours and minutes.
    expect(screen.getByText(/the promise’s arrival step is at least this \(= 1 h 30 min\)/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: /Step 3 of 4/ });

    // The recommender's 546 min stands, but the call says why and offers the ETA.
    await waitFor(() => expect(screen.getByLabelText('Arrival (minutes)')).toHaveValue('546'));
    expect(screen.getByText('= 9 h 6 min')).toBeInTheDocument();
    const note = screen.getByTestId('eta-note');
    expect(note).toHaveTextContent('The engineer said 1 h 30 min, but arrival is planned at 9 h 6 min');
    expect(note).toHaveTextContent('from 2 similar cases');
    // Two cases are not much history: the probability comes with a caveat.
    expect(screen.getByTestId('evidence-caveat')).toHaveTextContent('Only 2 similar cases: treat the probability as a rough guide.');
    // Where cases often never close, the call says so instead of a huge promise.
    expect(screen.getByTestId('honest-reason')).toHaveTextContent('34 % of these requests were never closed; the longest promise that can be stood behind (6 days) is kept about 58 % of the time.');
    expect(screen.getByTestId('keep-probability-basis')).toHaveTextContent('(from 2 similar cases)');

    fireEvent.click(within(note).getByRole('button', { name: 'Use the engineer’s ETA (1 h 30 min) for arrival' }));
    expect(screen.getByLabelText('Arrival (minutes)')).toHaveValue('90');
    expect(screen.getByTestId('eta-note')).toHaveTextContent('Arrival follows the engineer’s ETA');
    // The typed promise (150 min wall-clock on the 24/7 calendar: 12:30) is asked for its own keep-probability.
    await waitFor(() =>
      expect(
        requestsOf(fetchMock).some(
          (r) => r.url.pathname === '/api/v1/recommendations' && (r.body as { promisedAt?: string }).promisedAt === '2026-11-23T12:30:00.000Z',
        ),
      ).toBe(true),
    );
    await waitFor(() => expect(screen.getByTestId('keep-probability')).toHaveTextContent('35 %'));
    expect(screen.getByTestId('promise-summary')).toHaveTextContent('2 h 30 min of business time');
  });

  it('adds a new customer and her site inline, then goes on with them', async () => {
    const NEW_CUSTOMER = { id: '66666666-6666-4666-8666-666666666666', name: 'Labor Neustadt', email: 'lab@neustadt.test', phone: '+49 30 1234', language: 'en' as const, version: 1, createdAt: '', updatedAt: '' };
    const NEW_SITE = { id: '77777777-7777-4777-8777-777777777777', customerId: NEW_CUSTOMER.id, name: 'Hauptlabor', address: 'Marktplatz 1', region: null, timeZone: 'Europe/Berlin', version: 1, createdAt: '' };
    const customers: CustomerResponse[] = [{ id: CUSTOMER, name: 'Praxis am Markt', email: null, phone: null, language: 'en', version: 1, createdAt: '', updatedAt: '' }];
    const sites: (typeof NEW_SITE)[] = [];
    const fetchMock = stubFetch((request) => {
      const { url, method } = request;
      if (url.pathname === '/api/v1/customers' && method === 'GET') return jsonResponse(customers);
      if (url.pathname === '/api/v1/customers' && method === 'POST') {
        customers.push(NEW_CUSTOMER);
        return jsonResponse(NEW_CUSTOMER, { status: 201 });
      }
      if (url.pathname === '/api/v1/sites' && method === 'GET') return jsonResponse(sites.filter((x) => x.customerId === url.searchParams.get('customerId')));
      if (url.pathname === '/api/v1/sites' && method === 'POST') {
        sites.push(NEW_SITE);
        return jsonResponse(NEW_SITE, { status: 201 });
      }
      if (url.pathname === '/api/v1/contracts') return jsonResponse([]);
      return api(request);
    });
    renderWithProviders(<FourStepCall now={NOW} />);
    await screen.findByRole('option', { name: 'Praxis am Markt' });
    fireEvent.click(screen.getByRole('button', { name: '+ New customer' }));
    const customerForm = screen.getByRole('group', { name: 'New customer' });
    // Her name is required and the e-mail must be one; nothing is sent until both are right.
    fireEvent.change(within(customerForm).getByLabelText('Contact e-mail'), { target: { value: 'not-an-address' } });
    fireEvent.click(within(customerForm).getByRole('button', { name: 'Add customer' }));
    expect(within(customerForm).getByText('Name the customer')).toBeInTheDocument();
    expect(within(customerForm).getByText('Not an e-mail address')).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.change(within(customerForm).getByLabelText('Customer name'), { target: { value: 'Labor Neustadt' } });
    fireEvent.change(within(customerForm).getByLabelText('Contact e-mail'), { target: { value: 'lab@neustadt.test' } });
    fireEvent.change(within(customerForm).getByLabelText('Contact phone'), { target: { value: '+49 30 1234' } });
    fireEvent.click(within(customerForm).getByRole('button', { name: 'Add customer' }));

    // The new customer is chosen, and the call goes straight on to her site.
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Customer' })).toHaveValue(NEW_CUSTOMER.id));
    const siteForm = await screen.findByRole('group', { name: 'New site' });
    fireEvent.change(within(siteForm).getByLabelText('Site name'), { target: { value: 'Hauptlabor' } });
    fireEvent.change(within(siteForm).getByLabelText('Address'), { target: { value: 'Marktplatz 1' } });
    fireEvent.change(within(siteForm).getByRole('combobox', { name: 'Site time zone' }), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(within(siteForm).getByRole('button', { name: 'Add site' }));
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Site' })).toHaveValue(NEW_SITE.id));
    expect(screen.queryByRole('group', { name: 'New site' })).not.toBeInTheDocument();

    const posts = requestsOf(fetchMock).filter((r) => r.method === 'POST' && r.url.pathname !== '/api/v1/recommendations');
    expect(posts.map((p) => [p.url.pathname, p.body])).toEqual([
      ['/api/v1/customers', { name: 'Labor Neustadt', email: 'lab@neustadt.test', phone: '+49 30 1234' }],
      ['/api/v1/sites', { customerId: NEW_CUSTOMER.id, name: 'Hauptlabor', address: 'Marktplatz 1', timeZone: 'Europe/Berlin' }],
    ]);
    expect(posts.every((p) => /\S{8,}/.test(p.headers.get('idempotency-key') ?? ''))).toBe(true);
  });
});
