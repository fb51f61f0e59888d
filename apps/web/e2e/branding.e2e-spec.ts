import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 } as const;

/**
 * Issue 14, branding: an admin sets the organization's name, an accent colour (the screen shows its
 * contrast with white and black text and refuses one below WCAG AA), a logo and the default language, on a
 * phone; the customer's status page then wears them (accent, logo, name).
 */
describe('branding settings (browser, phone, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let api: APIRequestContext;
  let page: Page;
  let statusUrl = '';
  const pageErrors: string[] = [];
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    api = browser.context.request;
    const res = await api.post(`${product.url}/api/v1/auth/login`, { data: { email: 'dispatcher@demo.kept.test', password: 'kept-demo' } });
    const auth = `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
    const board = (await (await api.get(`${product.url}/api/v1/board?limit=1`, { headers: { Authorization: auth } })).json()) as { items: { customer: { id: string } }[] };
    const created = await api.post(`${product.url}/api/v1/cases`, {
      headers: { Authorization: auth },
      data: {
        customerId: board.items[0].customer.id,
        category: 'Instrument down',
        priority: 'normal',
        summary: 'Centrifuge imbalance alarm',
        promisedAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      },
    });
    expect(created.status()).toBe(201);
    const link = await api.post(`${product.url}/api/v1/cases/${((await created.json()) as { id: string }).id}/status-links`, { headers: { Authorization: auth }, data: {} });
    statusUrl = `${product.url}${new URL(((await link.json()) as { url: string }).url).pathname}`;
    page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('lets the admin brand the status page, refusing an unreadable accent colour', async () => {
    await page.goto(`${product!.url}/login`);
    await page.getByLabel('Email').fill('admin@demo.kept.test');
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${product!.url}/settings?tab=branding`);
    const form = page.getByRole('form', { name: 'Branding' });
    await form.waitFor();

    const hex = form.getByLabel('Accent colour (hex)');
    await hex.fill('#ffcc00');
    await form.getByText(/Below WCAG AA/).waitFor();
    await form.getByText(/White text on it, and it as text on white: 1\.51 : 1/).waitFor();
    await shot(page, 'branding-low-contrast-390');
    await form.getByRole('button', { name: 'Save branding' }).click();
    expect(await hex.getAttribute('aria-invalid')).toBe('true');

    await hex.fill('#aa3300');
    await form.getByText(/Meets WCAG AA/).waitFor();
    await form.getByLabel('Organization name').fill('Nordlicht Service');
    await form.getByLabel('Default language of new customers').selectOption('de');
    await form.getByLabel(/E-mail customers/).check();
    await form.getByRole('button', { name: 'Save branding' }).click();
    await page.getByText('Saved. The status page uses the new branding now.').waitFor();

    const png = readFileSync(path.join(REPO_ROOT, 'apps/web/public/icon-192.png'));
    await page.getByLabel(/Upload a logo/).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.getByText('Logo saved.').waitFor();
    await page.getByText(/Current logo: PNG/).waitFor();
    await shot(page, 'branding-saved-390');

    const login = await api.post(`${product!.url}/api/v1/auth/login`, { data: { email: 'admin@demo.kept.test', password: 'kept-demo' } });
    const admin = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
    const settings = (await (await api.get(`${product!.url}/api/v1/organization/settings`, { headers: { Authorization: admin } })).json()) as unknown;
    expect(settings).toMatchObject({ name: 'Nordlicht Service', accentColor: '#aa3300', defaultLanguage: 'de', customerEmails: true, logo: { contentType: 'image/png', size: png.length } });

    // Her page (no log-in) wears it.
    const status = await browser!.context.newPage();
    await status.setViewportSize(PHONE);
    await status.goto(statusUrl);
    await status.getByRole('heading', { level: 1 }).waitFor();
    expect(await status.evaluate(() => document.documentElement.style.getPropertyValue('--st-accent'))).toBe('#aa3300');
    await status.locator('.st__brand', { hasText: 'Nordlicht Service' }).waitFor();
    await status.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img.st__logo');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await shot(status, 'status-branded-390');
    await status.close();
    expect(pageErrors).toEqual([]);
  });
});
