import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, VIEWPORT, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');

describe('signing in (browser, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

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
      // The wrong password is meant to fail; the live stream is optional (see use-live-updates.ts).
      const expected = response.status() === 401 && response.url().endsWith('/api/v1/auth/login');
      if (response.status() >= 400 && !expected && !response.url().includes('/api/v1/events')) {
        pageErrors.push(`${response.status()} ${response.url()}`);
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('sends a visitor to the login page, refuses a wrong password, then shows the board and the cases', async () => {
    await page.goto(`${product!.url}/`);
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.title()).toBe('Sign in · Kept');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login.png') });

    const email = page.getByLabel('Email');
    const password = page.getByLabel('Password');
    expect(await email.evaluate((element) => element === document.activeElement)).toBe(true);

    await email.fill('dispatcher@demo.kept.test');
    await password.fill('not-the-password');
    await password.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('That email and password do not match.');
    expect(page.url()).toMatch(/\/login$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-error.png') });

    await password.fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/board');
    await page.locator('[data-testid=board-row]').first().waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.waitForURL('**/cases');

    const rows = page.locator('[data-testid=case-row]');
    await rows.nth(9).waitFor({ state: 'visible' });
    expect(await rows.count()).toBeGreaterThanOrEqual(10);
    const header = page.getByRole('banner');
    expect(await header.textContent()).toContain('Demo Field Service');
    expect(await header.textContent()).toContain('Dispatcher');
    expect(await page.title()).toBe('Cases · Kept');
    expect(page.viewportSize()).toEqual(VIEWPORT);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'cases.png') });

    // The same page at tablet width, to check the layout holds.
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'cases-tablet.png') });
    await page.setViewportSize({ ...VIEWPORT });

    expect(pageErrors).toEqual([]);
  });

  it('pages through the cases with "Load more" and filters by status', async () => {
    const rows = page.locator('[data-testid=case-row]');
    const before = await rows.count();
    const loadMore = page.getByRole('button', { name: 'Load more' });
    if (await loadMore.isVisible()) {
      await loadMore.click();
      await page.waitForFunction((count) => document.querySelectorAll('[data-testid=case-row]').length > count, before);
    }

    await page.getByLabel('Status').selectOption({ label: 'Satisfied' });
    await page.waitForURL('**/cases?status=satisfied');
    await page.waitForFunction(() => {
      const badges = [...document.querySelectorAll('[data-testid=case-row] td:nth-child(3)')];
      return badges.length > 0 && badges.every((cell) => cell.textContent?.includes('Satisfied'));
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'cases-satisfied.png') });
  });

  it('signs out back to the login page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.goto(`${product!.url}/cases`);
    await page.waitForURL('**/login');
    expect(await page.evaluate(() => window.sessionStorage.getItem('kept.session'))).toBeNull();
  });
});
