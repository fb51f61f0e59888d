import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIRequestContext, Page } from 'playwright-core';
import { launchBrowser, VIEWPORT, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const OUTPUT = path.join(REPO_ROOT, 'test-output');
const SCREENSHOTS = path.join(OUTPUT, 'screenshots');
const PHONE = { width: 390, height: 844 } as const;
/** The status page's budget: gzipped JavaScript it loads, all of it. */
const JS_BUDGET_BYTES = 50 * 1024;
/** Chromium DevTools' "Slow 3G" preset: 400 ms RTT × 5, 500 kbit/s × 0.8 each way. */
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500 * 1000) / 8 * 0.8, uploadThroughput: (500 * 1000) / 8 * 0.8 };

/**
 * Issue 14, the customer's part, in the browser at phone size against the real product: a dispatcher
 * proposes a new promise from the case page; the customer (no log-in, her own small page) accepts it,
 * confirms she is satisfied once the engineer fixed it, and answers the survey; the dispatcher's case page
 * and analytics show her answers. The page's JavaScript is measured (gzipped) and its first paint is timed
 * under Slow 3G emulation (written to test-output/status-page.json, not asserted: speed is for benchmarks).
 */
describe('the customer acts on her status page (browser, phone, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let api: APIRequestContext;
  let staff: Page;
  let auth = '';
  let caseId = '';
  let reference = '';
  let statusUrl = '';
  const pageErrors: string[] = [];
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const call = async (method: 'get' | 'post', route: string, data?: unknown) => {
    const res = await api[method](`${product!.url}/api/v1${route}`, { headers: { Authorization: auth }, data });
    return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    api = browser.context.request;
    const login = async (email: string) => {
      const res = await api.post(`${product!.url}/api/v1/auth/login`, { data: { email, password: 'kept-demo' } });
      return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
    };
    const manager = await login('manager@demo.kept.test');
    type User = { id: string; email: string };
    const users = (await (await api.get(`${product.url}/api/v1/users`, { headers: { Authorization: manager } })).json()) as User[] | { items: User[] };
    const engineer = (Array.isArray(users) ? users : users.items).find((u) => u.email === 'engineer@demo.kept.test');
    auth = await login('dispatcher@demo.kept.test');
    const board = (await call('get', '/board?limit=1')).body as { items: { customer: { id: string } }[] };
    const created = await call('post', '/cases', {
      customerId: board.items[0].customer.id,
      category: 'Instrument down',
      priority: 'urgent',
      summary: 'Blood analyser shows error 42',
      context: 'Five samples must be run before the doctor calls her patients at 4 pm',
      stressLevel: 4,
      requiredAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
      promisedAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      promiseBreakdown: { arrivalMinutes: 120, diagnosisMinutes: 60, fixMinutes: 120, testMinutes: 60 },
      ...(engineer ? { assigneeId: engineer.id } : {}),
    });
    expect(created.status).toBe(201);
    caseId = created.body.id as string;
    reference = created.body.reference as string;
    const link = await call('post', `/cases/${caseId}/status-links`, {});
    expect(link.status).toBe(201);
    statusUrl = link.body.url as string;
    // The product's PUBLIC_URL may differ from where the test runs it: keep the path, use the test's origin.
    statusUrl = `${product.url}${new URL(statusUrl).pathname}`;
    staff = await browser.context.newPage();
    staff.on('pageerror', (e) => pageErrors.push(`staff: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function customerPage(): Promise<Page> {
    // Her own browser: a fresh context with no staff session.
    const context = await browser!.context.browser()?.newContext({ viewport: PHONE });
    const page = context ? await context.newPage() : await browser!.context.newPage();
    if (!context) await page.setViewportSize(PHONE);
    page.on('pageerror', (e) => pageErrors.push(`customer: ${e.message}`));
    return page;
  }

  it('a dispatcher proposes a new promise from the case page', async () => {
    await staff.setViewportSize({ ...VIEWPORT });
    await staff.goto(`${product!.url}/login`);
    await staff.getByLabel('Email').fill('dispatcher@demo.kept.test');
    await staff.getByLabel('Password').fill('kept-demo');
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.waitForURL((url) => !url.pathname.startsWith('/login'));
    await staff.goto(`${product!.url}/cases/${caseId}`);
    await staff.getByRole('heading', { name: "The customer's answers" }).waitFor();
    const local = new Date(Date.now() + 26 * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const value = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
    await staff.getByLabel('Propose a new promise').fill(value);
    await staff.getByLabel('Reason (the customer reads it)').fill('The replacement pump arrives tomorrow morning');
    await staff.getByRole('button', { name: 'Ask the customer' }).click();
    await staff.getByTestId('promise-proposal').filter({ hasText: 'Waiting for her answer' }).waitFor();
    await staff.getByRole('heading', { name: "The customer's answers" }).scrollIntoViewIfNeeded();
    await shot(staff, 'c14-dispatcher-proposal');
  });

  it('her page is a small bundle of its own: no staff app, ≤ 50 KB gzipped JS, first paint timed on Slow 3G', async () => {
    const page = await customerPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    const started = Date.now();
    await page.goto(statusUrl, { waitUntil: 'load' });
    await page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor({ timeout: 60_000 });
    const dataShownMs = Date.now() - started;
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      scripts: performance
        .getEntriesByType('resource')
        .filter((e) => /\.m?js(\?|$)/.test(e.name))
        .map((e) => e.name),
      stylesheets: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => (l as HTMLLinkElement).href),
      blocking: [...document.head.querySelectorAll('script:not([type=module]):not([async]):not([defer])')].length,
    }));
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    // Every script the page loaded, gzipped (level 9, as the build's .gz twins): the budget's measure.
    let gzipped = 0;
    for (const url of timing.scripts) {
      const body = await (await api.get(url)).body();
      gzipped += gzipSync(body, { level: 9 }).length;
    }
    writeFileSync(
      path.join(OUTPUT, 'status-page.json'),
      `${JSON.stringify({ scripts: timing.scripts.map((u) => new URL(u).pathname), gzippedJsBytes: gzipped, slow3g: { firstContentfulPaintMs: timing.fcp, caseShownMs: dataShownMs } }, null, 2)}\n`,
    );
    expect(timing.scripts.length).toBeGreaterThan(0);
    // None of the staff app: its entry (main-*.js), React or the router never load here.
    expect(timing.scripts.some((u) => /\/assets\/(main|index|src)-/.test(u))).toBe(false);
    expect(gzipped).toBeLessThanOrEqual(JS_BUDGET_BYTES);
    // The first paint needs nothing but the document: no stylesheet, no blocking script.
    expect(timing.stylesheets).toEqual([]);
    expect(timing.blocking).toBe(0);
    await page.context().close();
  });

  it('she accepts the new promise, confirms she is satisfied once it is fixed, and answers the survey', async () => {
    const page = await customerPage();
    await page.goto(statusUrl);
    await page.getByRole('heading', { name: 'We propose a new time' }).waitFor();
    await page.getByText('Five samples must be run before the doctor calls her patients at 4 pm').waitFor();
    await shot(page, 'c14-customer-proposal-390');
    await page.getByRole('button', { name: 'Accept the new time' }).click();
    await page.getByRole('heading', { name: 'We propose a new time' }).waitFor({ state: 'detached' });
    await page.getByText(/The replacement pump arrives tomorrow morning/).waitFor();
    await page.getByText('accepted by you', { exact: false }).waitFor();
    await shot(page, 'c14-customer-accepted-390');

    // The engineer's first successful test: the case is fixed.
    const detail = await call('get', `/cases/${caseId}`);
    const fixed = await call('post', `/cases/${caseId}/fixed`, { version: detail.body.version });
    expect(fixed.status).toBe(200);

    await page.reload();
    await page.getByRole('heading', { name: 'Is it working for you?' }).waitFor();
    await page.getByRole('button', { name: 'Yes, I am satisfied' }).click();
    await page.getByText('Done', { exact: true }).waitFor();
    await page.getByRole('group', { name: /How satisfied are you/ }).getByText('5', { exact: true }).click();
    await page.getByRole('group', { name: /How stressful was the problem/ }).getByText('4', { exact: true }).click();
    await page.getByLabel('Comment (optional)').fill('Kept me informed the whole time');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(/Thank you! You can change your answer until/).waitFor();
    await shot(page, 'c14-customer-survey-390');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it("the dispatcher's case page and analytics show her answers", async () => {
    await staff.goto(`${product!.url}/cases/${caseId}`);
    const survey = staff.getByTestId('customer-survey');
    await survey.waitFor();
    expect(await survey.textContent()).toContain('5 / 5');
    expect(await survey.textContent()).toContain('Kept me informed the whole time');
    await staff.getByTestId('promise-proposal').filter({ hasText: 'Accepted by the customer' }).waitFor();
    await staff.getByRole('heading', { name: "The customer's answers" }).scrollIntoViewIfNeeded();
    await shot(staff, 'c14-dispatcher-case-answers');

    await staff.goto(`${product!.url}/analytics`);
    const chart = staff.getByTestId('stress-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toMatch(/stress 4: keep-rate \d+ %, mean CSAT 5/);
    await staff.getByRole('heading', { name: /Stress level/ }).scrollIntoViewIfNeeded();
    await shot(staff, 'c14-analytics-stress');
    expect(pageErrors).toEqual([]);
  });
});
