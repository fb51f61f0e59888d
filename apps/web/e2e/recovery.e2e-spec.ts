import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');
const HOUR = 3_600_000;

/**
 * Issue 15 in the browser, against the real product: a dispatcher offers goodwill on a missed case above her
 * limit (200.00), which asks for approval; the manager (limit 500.00) approves it on the case page; the case is
 * satisfied late, the manager records its root cause, and the Pareto chart on analytics shows it.
 */
describe('goodwill above the limit, a manager’s approval and a root cause (browser, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page;
  let api: APIRequestContext;
  let caseId = '';
  const pageErrors: string[] = [];

  async function tokenOf(email: string): Promise<string> {
    const login = await api.post(`${product!.url}/api/v1/auth/login`, { data: { email, password: 'kept-demo' } });
    return ((await login.json()) as { accessToken: string }).accessToken;
  }

  async function signIn(email: string) {
    await page.goto(`${product!.url}/login`);
    await page.evaluate(() => window.sessionStorage.clear());
    await page.goto(`${product!.url}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    api = browser.context.request;
    const token = await tokenOf('dispatcher@demo.kept.test');
    const headers = { Authorization: `Bearer ${token}` };
    const board = (await (await api.get(`${product.url}/api/v1/board?limit=1`, { headers })).json()) as { items: { customer: { id: string } }[] };
    const now = Date.now();
    const res = await api.post(`${product.url}/api/v1/cases`, {
      headers,
      data: {
        customerId: board.items[0].customer.id,
        category: 'Instrument down',
        priority: 'high',
        summary: 'Analyzer down: five samples waiting for the 4 pm call',
        stressLevel: 5,
        openedAt: new Date(now - 6 * HOUR).toISOString(),
        requiredAt: new Date(now - 4 * HOUR).toISOString(),
        promisedAt: new Date(now - 3 * HOUR).toISOString(),
      },
    });
    expect(res.status()).toBe(201);
    caseId = ((await res.json()) as { id: string }).id;
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 500) pageErrors.push(`${response.status()} ${response.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('the dispatcher offers 400.00 on the missed case: above her limit, so approval is requested', async () => {
    await signIn('dispatcher@demo.kept.test');
    await page.goto(`${product!.url}/cases/${caseId}`);
    const panel = page.locator('section[aria-labelledby=recovery-heading]');
    await panel.getByLabel('Suggested next step').waitFor();
    expect(await panel.getByLabel('Suggested next step').textContent()).toMatch(/Suggested next step/);
    await panel.getByLabel(/^Amount/).fill('400');
    await panel.getByLabel('Reason').fill('Need missed by 4 hours; samples lost');
    await panel.getByRole('button', { name: 'Offer goodwill' }).click();
    await panel.getByText('Approval requested', { exact: true }).first().waitFor();
    await panel.getByText('a manager has been alerted', { exact: false }).waitFor();
    // The offerer may not approve her own offer: no Approve button for her.
    expect(await panel.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'recovery-1-approval-requested.png') });
  });

  it('the manager sees the alert and approves the offer on the case page', async () => {
    await signIn('manager@demo.kept.test');
    const alerts = (await (
      await api.get(`${product!.url}/api/v1/alerts`, { headers: { Authorization: `Bearer ${await tokenOf('manager@demo.kept.test')}` } })
    ).json()) as { items: { ruleKind: string; caseId: string }[] };
    expect(alerts.items.some((a) => a.ruleKind === 'goodwill_approval' && a.caseId === caseId)).toBe(true);
    await page.goto(`${product!.url}/cases/${caseId}`);
    const panel = page.locator('section[aria-labelledby=recovery-heading]');
    await panel.getByRole('button', { name: 'Approve' }).click();
    await panel.getByText('Given', { exact: true }).waitFor();
    await panel.getByText(/approved by/).waitFor();
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'recovery-2-manager-approved.png') });
  });

  it('after the late satisfaction the manager records the root cause and sees the Pareto chart', async () => {
    const token = await tokenOf('dispatcher@demo.kept.test');
    const headers = { Authorization: `Bearer ${token}` };
    const c = (await (await api.get(`${product!.url}/api/v1/cases/${caseId}`, { headers })).json()) as { version: number };
    const sat = await api.post(`${product!.url}/api/v1/cases/${caseId}/satisfied`, { headers, data: { version: c.version } });
    expect(sat.status()).toBe(200);

    await page.goto(`${product!.url}/cases/${caseId}`);
    const form = page.getByRole('form', { name: 'Record root cause' });
    await form.waitFor();
    await form.getByLabel('Category').selectOption('parts');
    await form.getByLabel(/Five whys/).fill('The spare pump was not in the van\nThe van stock list was out of date\nNobody owns the van stock list');
    await form.getByLabel('Corrective action').fill('Weekly van stock check, owned by the team lead');
    await form.getByRole('button', { name: 'Record root cause' }).click();
    const recorded = page.getByLabel('Root cause', { exact: true });
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain('Parts');
    await page.locator('section[aria-labelledby=recovery-heading]').screenshot({ path: path.join(SCREENSHOTS, 'recovery-3-root-cause.png') });

    await page.goto(`${product!.url}/analytics`);
    const chart = page.getByRole('img', { name: 'Pareto chart of root causes' });
    await chart.waitFor();
    expect(await chart.locator('rect').count()).toBeGreaterThanOrEqual(1);
    expect(await chart.textContent()).toContain('Parts');
    await page.locator('section[aria-labelledby=recovery-heading]').screenshot({ path: path.join(SCREENSHOTS, 'recovery-4-pareto.png') });
    expect(pageErrors).toEqual([]);
  });
});
