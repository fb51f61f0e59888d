import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');
const HOUR = 3_600_000;

/**
 * Issue 15 in the browser, against the real product: the manager's goodwill settings and a team budget; a
 * dispatcher's four-step call whose promise lands after the need offers the tenant's options and records the one
 * she chose; a dispatcher offers goodwill on a missed case above her limit (200.00), which asks for approval; the
 * manager (limit 500.00) approves it with a reason in the approvals inbox on the alerts page; the case is satisfied
 * late, the manager records its root cause, and analytics shows the Pareto chart, the options taken and CSAT's
 * empty state.
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

  it('the manager sees the goodwill settings and sets a team budget; a bad amount is refused beside its field', async () => {
    await signIn('manager@demo.kept.test');
    await page.goto(`${product!.url}/settings?tab=goodwill`);
    const form = page.getByRole('form', { name: 'Goodwill settings' });
    await form.waitFor();
    expect(await form.getByLabel('Dispatcher').inputValue()).toBe('200');
    expect(await form.getByLabel(/Compensation ladder/).inputValue()).toBe('100, 150, 200, 500');
    const budgets = page.getByRole('region', { name: 'Goodwill budgets per team' });
    const set = budgets.getByRole('form', { name: 'Set a team budget' });
    await set.getByLabel('Team').fill('Field South');
    await set.getByLabel(/^Budget for/).fill('-20');
    await set.getByRole('button', { name: 'Set budget' }).click();
    await set.getByText('An amount, zero or more, with at most two decimals').waitFor();
    await set.getByLabel(/^Budget for/).fill('2500');
    await set.getByRole('button', { name: 'Set budget' }).click();
    await budgets.getByRole('row', { name: /Field South/ }).waitFor();
    await page.locator('main').screenshot({ path: path.join(SCREENSHOTS, 'recovery-0-goodwill-settings.png') });
    // On a phone the tab reflows: nothing wider than the screen.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.waitForFunction(() => window.innerWidth === 390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'recovery-0-goodwill-settings-390.png'), fullPage: true });
    } finally {
      if (size) await page.setViewportSize(size);
    }
  });

  it('the four-step call offers the options on a promise that lands after the need and records the one she chose', async () => {
    await signIn('dispatcher@demo.kept.test');
    await page.goto(`${product!.url}/cases/new`);
    await page.getByRole('heading', { name: /Step 1 of 4/ }).waitFor();
    const customer = page.getByRole('combobox', { name: /^Customer/ });
    await customer.locator('option:nth-child(2)').waitFor({ state: 'attached' });
    await customer.selectOption({ index: 1 });
    await page.getByLabel('Category').fill('Instrument down');
    await page.getByLabel('Problem').fill('Centrifuge stopped: samples for the 11 am run');
    // She needs it in 20 minutes: no worst-case promise gets there in time.
    const requiredLocal = await page.evaluate(() => {
      const d = new Date(Date.now() + 20 * 60_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByLabel(/She needs it resolved by/).fill(requiredLocal);
    await page.getByLabel('What is at stake, in her words').fill('The 11 am run is lost without it.');
    await page.getByRole('radio', { name: '5' }).check();
    await page.getByLabel('She confirmed: that is what she needs').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 2 of 4/ }).waitFor();
    await page.getByRole('radio', { name: /Erik Engineer/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 4/ }).waitFor();

    await page.getByText(/^This promise lands .* after her need$/).waitFor();
    const offered = page.getByRole('group', { name: 'Options offered', exact: true });
    // Keyboard only: Space ticks the focused checkbox; Enter in the free-text field adds her own option.
    await offered.getByRole('checkbox', { name: 'Loaner', exact: true }).focus();
    await page.keyboard.press('Space');
    await offered.getByRole('checkbox', { name: 'Remote fix', exact: true }).check();
    await page.getByLabel('Another option (free text)').fill('Partner lab runs the samples');
    await page.keyboard.press('Enter');
    await offered.getByRole('checkbox', { name: 'Partner lab runs the samples', exact: true }).waitFor();
    await page.getByRole('group', { name: 'She chose' }).getByRole('radio', { name: 'Remote fix', exact: true }).check();
    await page.getByLabel('She accepted this promise').check();
    await page.locator('form.four-step__panel').screenshot({ path: path.join(SCREENSHOTS, 'recovery-00-call-options.png') });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 4 of 4/ }).waitFor();
    await page.getByRole('button', { name: /Create case and send to/ }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);

    const recorded = page.getByRole('list', { name: 'Options offered', exact: true });
    await recorded.waitFor();
    expect(await recorded.textContent()).toMatch(/Offered Loaner, Remote fix, Partner lab runs the samples · she chose Remote fix/);
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
    // The offerer may not approve her own offer: no Approve button for her, and the page says why.
    expect(await panel.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await panel.getByText('You made this offer: another person whose limit covers it must approve it.').waitFor();
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'recovery-1-approval-requested.png') });
  });

  it('the manager sees the alert and approves the offer with a reason in the approvals inbox', async () => {
    await signIn('manager@demo.kept.test');
    const alerts = (await (
      await api.get(`${product!.url}/api/v1/alerts`, { headers: { Authorization: `Bearer ${await tokenOf('manager@demo.kept.test')}` } })
    ).json()) as { items: { ruleKind: string; caseId: string }[] };
    expect(alerts.items.some((a) => a.ruleKind === 'goodwill_approval' && a.caseId === caseId)).toBe(true);
    await page.goto(`${product!.url}/alerts`);
    const inbox = page.locator('section[aria-labelledby=approvals-heading]');
    const item = inbox.getByRole('listitem').filter({ has: page.locator(`a[href="/cases/${caseId}"]`) });
    await item.waitFor();
    expect(await item.textContent()).toContain('Need missed by 4 hours; samples lost');
    await item.getByLabel('Reason for the decision').fill('Samples lost: worth it');
    await inbox.screenshot({ path: path.join(SCREENSHOTS, 'recovery-2a-approvals-inbox.png') });
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.waitFor({ state: 'detached' });

    await page.goto(`${product!.url}/cases/${caseId}`);
    const panel = page.locator('section[aria-labelledby=recovery-heading]');
    await panel.getByText('Given', { exact: true }).waitFor();
    await panel.getByText(/approved by .*Samples lost: worth it/).waitFor();
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
    // The same causes ranked by hours lost.
    const rank = page.getByRole('group', { name: 'Rank causes by' });
    await rank.getByRole('button', { name: 'Hours lost' }).click();
    await rank.locator('button[aria-pressed=true]', { hasText: 'Hours lost' }).waitFor();
    expect(await page.locator('#pareto-words').textContent()).toMatch(/^Ranked by hours lost: .*Parts: \d+ cases?, [\d.]+ h lost/);
    const options = page.getByRole('table', { name: 'Options taken' });
    expect(await options.getByRole('row', { name: /Remote fix/ }).textContent()).toMatch(/^Remote fix11/);
    await page.getByTestId('csat-empty').waitFor();
    await page.locator('section[aria-labelledby=recovery-heading]').screenshot({ path: path.join(SCREENSHOTS, 'recovery-4-pareto.png') });
    expect(pageErrors).toEqual([]);
  });
});
