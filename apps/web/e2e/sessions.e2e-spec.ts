import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');
const run = promisify(execFile);

/**
 * Issue 12 in the browser: a new organization from `kept tenant create`, its admin choosing a password
 * with the one-time link, a silent refresh when the access token is refused, and "Log out everywhere".
 */
describe('onboarding and sessions (browser, real API and database)', () => {
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
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  const storedToken = () =>
    page.evaluate(
      () =>
        (
          JSON.parse(sessionStorage.getItem('kept.session') ?? '{}') as {
            accessToken?: string;
          }
        ).accessToken,
    );
  const status = (url: string, init: { method?: string; token?: string } = {}) =>
    page.evaluate(
      async ({ url, method, token }) =>
        (
          await fetch(url, {
            method,
            headers: token ? { Authorization: `Bearer ${token}` } : {},
          })
        ).status,
      { url, method: init.method ?? 'GET', token: init.token },
    );

  it('creates an organization with the CLI; its admin sets a password with the link, stays signed in through a refused token, and logs out everywhere', async () => {
    const adminUrl = new URL(process.env.DATABASE_URL!);
    adminUrl.pathname = `/${product!.databaseName}`;
    const { stdout } = await run(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist/apps/cli/src/main.js'),
        'tenant',
        'create',
        '--name',
        'Nordlicht Service',
        '--admin-email',
        'nora@nordlicht.test',
        '--admin-name',
        'Nora North',
        '--json',
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: adminUrl.toString(),
          PUBLIC_URL: product!.url,
        },
      },
    );
    const created = JSON.parse(stdout.trim()) as { link: string };
    expect(created.link.startsWith(`${product!.url}/set-password#token=`)).toBe(true);

    // 1. The one-time link: the set-password page, a too-short password refused, then signed in.
    await page.goto(created.link);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    expect(page.url()).toBe(`${product!.url}/set-password`);
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByText(/Choose a password of at least/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'set-password.png') });
    await page.getByLabel('New password').fill('nordlicht-admin-2026');
    await page.getByLabel('Repeat the password').fill('nordlicht-admin-2026');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL('**/board');
    const header = page.getByRole('banner');
    await header.getByText('Nordlicht Service').waitFor();
    expect(await header.textContent()).toContain('Nora North');
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'new-organization-board.png'),
    });

    // The link works once.
    const again = await page.evaluate(
      async (token) =>
        (
          await fetch('/api/v1/auth/set-password', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ token, password: 'another-password-2026' }),
          })
        ).status,
      /#token=(.+)$/.exec(created.link)![1],
    );
    expect(again).toBe(401);

    // 2. The access token is refused (here: replaced by garbage): the app renews it with the refresh
    // cookie and the page loads as if nothing happened.
    await page.evaluate(() => {
      const session = JSON.parse(sessionStorage.getItem('kept.session')!) as {
        accessToken: string;
      };
      sessionStorage.setItem('kept.session', JSON.stringify({ ...session, accessToken: 'not.a.token' }));
    });
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/refresh'));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await page.waitForURL('**/board');
    await header.getByText('Nordlicht Service').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.waitForURL('**/cases');
    await page.getByText('No cases match').waitFor();
    expect(page.url()).toMatch(/\/cases$/);
    const renewed = await storedToken();
    expect(renewed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await status('/api/v1/auth/me', { token: renewed })).toBe(200);

    // 3. Log out everywhere: back to the login page; the old access token and the refresh cookie are dead.
    await header.getByRole('link', { name: /My preferences/ }).click();
    await page.getByRole('heading', { name: 'Your sessions' }).waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'log-out-everywhere.png'),
    });
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    await page.waitForURL('**/login');
    expect(await status('/api/v1/auth/me', { token: renewed })).toBe(401);
    expect(await status('/api/v1/auth/refresh', { method: 'POST' })).toBe(401);
    expect(pageErrors).toEqual([]);
  });

  it('offers no sign-up link by default (SIGNUP=off), and the sign-up page says so when used', async () => {
    await page.goto(`${product!.url}/login`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name: 'Create an organization' }).count()).toBe(0);
    await page.goto(`${product!.url}/signup`);
    await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
    await page.getByLabel('Organization').fill('Sunrise Lab Service');
    await page.getByLabel('Your name').fill('Sam Sunrise');
    await page.getByLabel('Email').fill('sam@sunrise.test');
    await page.getByLabel('Password').fill('sunrise-password-1');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('Sign-up is turned off on this installation').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'signup-off.png') });
    expect(pageErrors).toEqual([]);
  });
});
