import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, VIEWPORT, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');
const SUMMARY = 'Analyzer shows error E-42 on the sample probe';

describe('the dispatcher dashboard (browser, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page;
  let caseUrl = '';
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Failed requests are checked by URL below (the console message does not name the URL).
      if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      // Every failed request is an error (the recommender is merged: a 404 from it is a failure too).
      if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${product.url}/login`);
    await page.getByLabel('Email').fill('dispatcher@demo.kept.test');
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/board');
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('shows every open case on the board, ranked, each with its timeline, and moves with j/k', async () => {
    const rows = page.locator('[data-testid=board-row]');
    await rows.first().waitFor();
    const count = await rows.count();
    expect(count).toBeGreaterThan(3);
    expect(await page.locator('[data-testid=board-row] [data-testid=four-times-chart]').count()).toBe(count);
    expect(await page.title()).toBe('Board · Kept');
    await shot('board');

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const focusedIndex = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=board-row]')].indexOf(document.activeElement as Element),
    );
    expect(focusedIndex).toBe(2);
    await page.keyboard.press('k');
    const secondId = await rows.nth(1).getAttribute('data-case-id');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/cases/${secondId}`);
    await page.getByRole('heading', { name: 'The four times' }).waitFor();
    await page.goBack();
    await page.waitForURL('**/board');

    // The filters fold away behind "Filters" (issue 13: a board for 40+ cases).
    await page.getByRole('button', { name: /^Filters/ }).click();
    // click(), not check(): the box follows the URL, which react-router updates in a transition.
    await page.getByLabel('At risk only').click();
    await page.waitForURL('**/board?risk=1');
    // The previous rows stay (dimmed) until the filtered list arrives.
    await page.waitForSelector('.board-table[data-search="risk=1"]:not(.is-stale) [data-testid=board-row]');
    const riskTexts = await page.locator('[data-testid=board-row] .col-risk').allTextContents();
    expect(riskTexts.length).toBeGreaterThan(0);
    // "At risk only" shows the missed and the at-risk classes (the board's flagged cases).
    for (const text of riskTexts) expect(text).toMatch(/At risk|Missed/);
    await page.getByLabel('Save these filters as').fill('At risk');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('At risk only').click();
    await page.waitForURL(/\/board$/);
    await page.locator('.board-table[data-search=""]:not(.is-stale)').waitFor();
    await page.getByLabel('Saved view', { exact: true }).selectOption({ label: 'At risk' });
    await page.waitForURL('**/board?risk=1');
  });

  it('creates a case through the four-step call', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
    await page.waitForURL('**/cases/new');
    await page.getByRole('heading', { name: /Step 1 of 4/ }).waitFor();

    // Step 1: the need, read back.
    const customer = page.getByRole('combobox', { name: /^Customer/ });
    await customer.locator('option:nth-child(2)').waitFor({ state: 'attached' });
    await customer.selectOption({ index: 1 });
    await page.getByLabel('Category').fill('Instrument down');
    await page.getByLabel('Problem').fill(SUMMARY);
    const requiredLocal = await page.evaluate(() => {
      const d = new Date(Date.now() + 26 * 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByLabel(/She needs it resolved by/).fill(requiredLocal);
    await page.getByLabel('What is at stake, in her words').fill('Five samples must be done before the doctor calls patients at 4 pm.');
    await page.getByRole('radio', { name: '4' }).check();
    // Next without confirming the read-back is refused with a message.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Read the need back and tick when she confirms it').waitFor();
    expect(await page.getByTestId('read-back').textContent()).toContain(`You need “${SUMMARY}” resolved by`);
    await page.getByLabel('She confirmed: that is what she needs').check();
    await shot('new-case-1-need');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 2: who goes, how soon, which parts.
    await page.getByRole('heading', { name: /Step 2 of 4/ }).waitFor();
    await page.getByRole('radio', { name: /Erik Engineer/ }).check();
    await page.getByLabel('Engineer ETA (minutes from now)').fill('45');
    await page.getByLabel('Parts').fill('Carries a full set of probe spares.');
    await shot('new-case-2-trepidation');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 3: the worst-case promise from the breakdown.
    await page.getByRole('heading', { name: /Step 3 of 4/ }).waitFor();
    const summary = page.getByTestId('promise-summary');
    await summary.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=promise-summary]')?.textContent?.includes('Loading'));
    expect(await summary.textContent()).toContain('Worst-case promise');
    expect(await page.getByLabel('Arrival (minutes)').inputValue()).not.toBe('');
    await page.getByLabel('She accepted this promise').check();
    await shot('new-case-3-promise');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 4: tell the engineer, create the case.
    await page.getByRole('heading', { name: /Step 4 of 4/ }).waitFor();
    const message = await page.getByLabel('Message to the engineer: the exact promise').inputValue();
    expect(message).toContain('Erik, I promised');
    expect(message).toContain(SUMMARY);
    await shot('new-case-4-engineer');
    await page.getByRole('button', { name: 'Create case and send to Erik' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseUrl = page.url();
    await page.getByRole('heading', { name: new RegExp(SUMMARY) }).waitFor();
    const milestones = await page.getByRole('region', { name: 'Milestones' }).textContent();
    expect(milestones).toContain('Dispatched');
    // The note is the message sent to the engineer; the assignment itself is the case's assignee.
    expect(milestones).toContain('Erik, I promised');
    expect(await page.getByTestId('case-assignee').textContent()).toContain('Assigned to Erik Engineer');
    expect(await page.locator('[data-testid=ledger-row]').count()).toBeGreaterThanOrEqual(3);
  });

  it('shows the new case on the board with its timeline, filtered by engineer', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board' }).click();
    await page.waitForURL('**/board*');
    await page.getByRole('button', { name: /^Filters/ }).click();
    await page.getByLabel('Engineer').selectOption({ label: 'Erik Engineer' });
    await page.waitForURL(/engineer=/);
    const search = new URL(page.url()).search.slice(1);
    await page.waitForSelector(`.board-table[data-search="${search}"]:not(.is-stale) [data-testid=board-row]`);
    const row = page.locator('[data-testid=board-row]', { hasText: SUMMARY });
    await row.waitFor();
    // The demo's dispatched cases are Erik's too (cases.assignee_id): every row shown is his.
    const texts = await page.locator('[data-testid=board-row]').allTextContents();
    expect(texts.length).toBeGreaterThanOrEqual(1);
    for (const text of texts) expect(text).toContain('Erik Engineer');
    const chart = row.getByTestId('four-times-chart');
    expect(await chart.getAttribute('aria-label')).toMatch(/needed by .*promised by/);
    expect(await row.getByTestId('mark-required').count()).toBe(1);
    expect(await row.getByTestId('mark-promised').count()).toBe(1);
    expect(await row.getByTestId('mark-now').count()).toBe(1);
    expect(await row.textContent()).toContain('Erik Engineer');
    await shot('board-filtered-engineer');
  });

  it('re-promises the case with a reason and shows it in the ledger', async () => {
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'The four times' }).waitFor();
    await shot('case');
    await page.getByRole('button', { name: 'Re-promise' }).click();
    const form = page.getByRole('form', { name: 'Re-promise' });
    // The reason is required.
    await form.getByRole('button', { name: 'Re-promise' }).click();
    await form.getByText('Say why the promise changes').waitFor();
    const later = await page.evaluate(() => {
      const d = new Date(Date.now() + 30 * 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await form.getByLabel(/New promise/).fill(later);
    await form.getByLabel('Reason').fill('Spare probe arrives tomorrow morning');
    await form.getByLabel('The customer accepted the new promise').check();
    await form.getByRole('button', { name: 'Re-promise' }).click();
    const ledger = page.getByTestId('ledger');
    await ledger.getByText('Spare probe arrives tomorrow morning').waitFor();
    expect(await ledger.textContent()).toContain('Promise v2');
    expect(await ledger.textContent()).toContain('Accepted');
    await page.getByRole('heading', { name: 'Ledger' }).scrollIntoViewIfNeeded();
    await shot('case-repromised');
  });

  it('makes a status link on the case page and opens the customer’s page without a log-in', async () => {
    await page.goto(caseUrl);
    const section = page.getByRole('region', { name: 'Status link' });
    await section.scrollIntoViewIfNeeded();
    await section.getByLabel('Valid for (days)').fill('14');
    await section.getByRole('button', { name: 'Create status link' }).click();
    const url = await section.getByLabel('Status link URL').inputValue();
    const token = /\/s\/([A-Za-z0-9_-]{43})$/.exec(url)?.[1];
    expect(token).toBeDefined();
    await section.getByRole('list', { name: 'Status links' }).getByText('not opened yet').waitFor();
    await shot('case-status-link');

    const customer = await browser!.context.newPage();
    try {
      const apiCall = customer.waitForResponse((r) => r.url().includes('/api/v1/public/status/'));
      await customer.goto(`${product!.url}/s/${token}`);
      const response = await apiCall;
      expect(response.status()).toBe(200);
      expect(response.request().headers()['authorization']).toBeUndefined();
      expect(response.headers()['x-robots-tag']).toBe('noindex, nofollow');
      await customer.getByRole('heading', { level: 1 }).getByText(SUMMARY).waitFor();
      // Her own page (status.html): the promise as a worst case, never indexed.
      expect(await customer.getByText('At the latest by').count()).toBe(1);
      expect(await customer.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex, nofollow');
      expect(await customer.locator('meta[name="referrer"]').getAttribute('content')).toBe('no-referrer');
      expect(await customer.locator('body').textContent()).not.toContain('Erik Engineer');
      await customer.screenshot({ path: path.join(SCREENSHOTS, 'public-status.png'), fullPage: false });

      // Revoked on the case page, the link answers like an unknown one.
      await section.getByRole('button', { name: /Revoke the link/ }).first().click();
      await section.getByText(/Revoked/).first().waitFor();
      await customer.reload();
      await customer.getByText('This link is not valid').waitFor();
      await customer.screenshot({ path: path.join(SCREENSHOTS, 'public-status-invalid.png'), fullPage: false });
    } finally {
      await customer.close();
    }
  });

  it('opens analytics with charts and tables', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await page.waitForURL('**/analytics');
    await page.getByTestId('kpi-keep-rate').waitFor();
    expect(await page.getByTestId('kpi-keep-rate').textContent()).toMatch(/\d+ %/);
    await page.locator('.recharts-surface').first().waitFor();
    expect(await page.getByRole('region', { name: 'By category' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('region', { name: 'By team' }).locator('tbody tr', { hasText: 'Field team North' }).count()).toBe(1);
    await shot('analytics');
    // Calibration: the demo promises carry (synthetic) keep-probabilities, drawn against the diagonal.
    const calibration = page.getByRole('region', { name: 'Calibration' });
    await calibration.locator('.calibration__chart svg.recharts-surface[role=application]').waitFor();
    expect(await calibration.getByRole('img', { name: /^Calibration:/ }).getAttribute('aria-label')).toMatch(/^Calibration: promised \d/);
    expect(await calibration.locator('tbody tr').count()).toBe(6);
    await calibration.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('analytics-calibration');
  });

  it('shows an alert arriving live in the inbox, and acknowledges it', async () => {
    const base = `${product!.url}/api/v1`;
    const login = async (email: string) => {
      const res = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'kept-demo' }),
      });
      return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
    };
    const call = async (method: string, path: string, auth: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const manager = await login('manager@demo.kept.test');
    const policy = await call('POST', '/alert-policies', manager, {
      name: 'E2E breach watch',
      target: 'promised',
      basis: 'wall',
      fractions: [],
      leadMinutes: [],
      atBreach: true,
      repeatEveryMinutes: null,
      escalateAfterMinutes: null,
      atRisk: false,
      channels: ['in_app'],
      recipientRoles: ['dispatcher', 'manager'],
      active: true,
    });
    expect(policy.status).toBe(201);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Alerts/ }).click();
    await page.waitForURL('**/alerts');
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    // The stream is connected before the alert fires, so it can only arrive through it or the inbox's own refresh.
    await page.locator('.live-dot--live').waitFor();
    const before = await page.getByTestId('alert-item').count();

    const dispatcher = await login('dispatcher@demo.kept.test');
    const customers = (await (await fetch(`${base}/customers`, { headers: { authorization: dispatcher } })).json()) as { id: string }[];
    const created = await call('POST', '/cases', dispatcher, {
      customerId: customers[0].id,
      category: 'Alert probe',
      summary: 'Promise about to pass',
      promisedAt: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const reference = created.body.reference as string;

    const group = page.getByRole('region', { name: `${reference} Promise about to pass` });
    // Our breach policy and the default "Promise watch" both fire at the promise: take the first.
    const breach = group.getByTestId('alert-item').filter({ hasText: 'Deadline passed' }).first();
    // The inbox refreshes itself only every 60 s after it mounted (just now): within 20 s the alert can
    // only have come through the event stream.
    await breach.waitFor({ timeout: 20_000 });
    expect(await breach.getByText('New').count()).toBe(1);
    expect(await page.getByTestId('alert-item').count()).toBeGreaterThan(before);
    await shot('alerts');

    const breaches = group.getByTestId('alert-item').filter({ hasText: 'Deadline passed' });
    const count = await breaches.count();
    await breach.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForFunction(
      ([name, n]) =>
        [...document.querySelectorAll(`section[aria-label="${name}"] [data-testid=alert-item]`)].filter((el) =>
          el.textContent?.includes('Deadline passed'),
        ).length < (n as number),
      [`${reference} Promise about to pass`, count] as const,
    );
  });

  it('shows the engineer the case on a phone, with the exact promise, and records arrival', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Email').fill('engineer@demo.kept.test');
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signing in returns to the page left at sign-out; the engineer's own page is in the navigation.
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My work' }).click();
    await page.waitForURL('**/my-work');
    const card = page.getByTestId('work-card').filter({ hasText: SUMMARY });
    await card.waitFor();
    expect(await card.textContent()).toContain('Promised:');
    await card.getByRole('button', { name: 'Arrived on site' }).click();
    await card.getByRole('button', { name: 'Problem diagnosed' }).waitFor();
    expect(await card.locator('.work-steps li.is-done').count()).toBe(1);
    await shot('my-work-phone');
    await page.setViewportSize({ ...VIEWPORT });
  });

  it('opens the settings as a manager', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill('manager@demo.kept.test');
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    await page.getByRole('form', { name: /^Calendar / }).first().waitFor();
    await shot('settings-calendars');
    await page.getByRole('button', { name: 'Alert policies and webhooks' }).click();
    await page.getByRole('region', { name: 'Alert policies' }).getByRole('rowheader', { name: 'E2E breach watch' }).waitFor();
    await shot('settings-alerts');
  });

  it('loads the board with at most 300 KB of gzipped JavaScript', async () => {
    const scripts = new Map<string, number>();
    const collect = async (response: import('playwright-core').Response) => {
      if (!/\.js(\?|$)/.test(response.url())) return;
      scripts.set(response.url(), gzipSync(await response.body()).length);
    };
    const onResponse = (response: import('playwright-core').Response) => void collect(response);
    page.on('response', onResponse);
    await page.goto(`${product!.url}/board`);
    await page.locator('[data-testid=board-row]').first().waitFor();
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    writeFileSync(
      path.join(REPO_ROOT, 'test-output/board-bundle.json'),
      JSON.stringify({ gzipBytes: total, files: Object.fromEntries([...scripts].map(([u, n]) => [new URL(u).pathname, n])) }, null, 2),
    );
    expect(scripts.size).toBeGreaterThan(1);
    expect([...scripts.keys()].some((u) => /analytics/.test(u))).toBe(false);
    expect(total).toBeLessThanOrEqual(300 * 1024);
  });

  it('keeps the board usable at tablet width', async () => {
    await page.goto(`${product!.url}/board`);
    await page.locator('[data-testid=board-row]').first().waitFor();
    await page.setViewportSize({ width: 1024, height: 768 });
    await shot('board-tablet');
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'The four times' }).waitFor();
    await shot('case-tablet');
    await page.goto(`${product!.url}/analytics`);
    await page.locator('.recharts-surface').first().waitFor();
    await shot('analytics-tablet');
    await page.setViewportSize({ ...VIEWPORT });
    expect(pageErrors).toEqual([]);
  });
});
