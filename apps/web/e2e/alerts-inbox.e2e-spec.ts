import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');
const RANK: Record<string, number> = { critical: 3, high: 2, medium: 1, low: 0 };

/**
 * Issue 13, item 1 in the browser: after a fresh start on the demo data (overdue cases whose alerts all
 * fall due at once) the dispatcher's inbox shows her alerts grouped by case, the most severe case first,
 * no repeat in copies, "Acknowledge all" per case, a navigation count of her own alerts — and on a
 * 390 px phone nothing scrolls sideways and Snooze stays in view.
 */
describe('the alerts inbox after a fresh start (browser, real API, worker and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
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

  /** Per group on the page: its name, the severities of its alerts in order, and their rule lines. */
  const groups = () =>
    page.$$eval('section.alert-group', (sections) =>
      sections.map((s) => ({
        name: s.getAttribute('aria-label') ?? '',
        severities: [...s.querySelectorAll('[data-testid=alert-item]')].map((b) => b.getAttribute('data-severity') ?? ''),
        rules: [...s.querySelectorAll('.alert-item__rule')].map((r) => r.textContent ?? ''),
      })),
    );

  it('groups my alerts by case, the most severe first, one line per rule, with Acknowledge all', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Alerts/ }).click();
    await page.waitForURL('**/alerts');
    await page.locator('section.alert-group').first().waitFor({ timeout: 60_000 });
    // Let the worker finish what was due at the start (the list refreshes live).
    await page.waitForTimeout(3_000);
    const shown = await groups();
    expect(shown.length).toBeGreaterThan(0);
    for (const g of shown) {
      // One alert per rule and deadline: no "still missed" in copies.
      expect(new Set(g.rules).size).toBe(g.rules.length);
    }
    const worst = (g: { severities: string[] }) => Math.max(...g.severities.map((s) => RANK[s] ?? -1));
    const ranks = shown.map(worst);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    // The navigation counts my open alerts: the ones this page shows.
    const items = await page.getByTestId('alert-item').count();
    const count = await page.getByTestId('open-alerts-count').textContent();
    expect(count?.replace(/\D/g, '')).toBe(String(Math.min(items, 99)));
    await shot('alerts-inbox-desktop');

    // Everyone's alerts include the escalations sent to managers only.
    await page.getByRole('button', { name: 'Everyone' }).click();
    await page.waitForURL('**/alerts?for=all');
    // Waits for the condition: the list is refetched for "Everyone" (a loading state may come between).
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=alert-item]').length >= n, items);
    expect(await page.getByTestId('alert-item').count()).toBeGreaterThanOrEqual(items);
    await page.getByRole('button', { name: 'Mine' }).click();

    const first = page.locator('section.alert-group').first();
    const name = await first.getAttribute('aria-label');
    const all = first.getByRole('button', { name: /^Acknowledge all \d+ open alerts/ });
    if ((await all.count()) > 0) {
      await all.click();
      await page.waitForFunction((n) => !document.querySelector(`section.alert-group[aria-label="${n}"]`), name);
    }
  });

  it('fits a 390 px phone: no sideways scrolling, Snooze in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${product!.url}/alerts`);
    await page.locator('section.alert-group').first().waitFor({ timeout: 30_000 });
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    const snooze = page.getByRole('button', { name: 'Snooze' }).first();
    await snooze.scrollIntoViewIfNeeded();
    const box = await snooze.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('alerts-inbox-390');
  });
});
