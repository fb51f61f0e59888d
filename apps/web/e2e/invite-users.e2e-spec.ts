import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');

/**
 * Issue 12, onboarding of users in the browser: the admin invites a user by e-mail and role, sees the
 * invitation pending, is refused clearly when demoting the organization's only admin; the invitee opens
 * the one-time link, chooses a password and is signed in, and later logs in with it.
 */
describe('inviting users (browser, real API and database)', () => {
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

  const signIn = async (p: Page, email: string, password: string) => {
    await p.goto(`${product!.url}/login`);
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
  };

  it('an admin invites a user, who sets a password with the link and logs in', async () => {
    await signIn(page, 'admin@demo.kept.test', 'kept-demo');
    await page.waitForURL('**/board');
    await page.goto(`${product!.url}/settings?tab=users`);
    const invite = page.getByRole('form', { name: 'Invite a user' });
    await invite.waitFor();
    await page.getByRole('heading', { name: 'Pending invitations' }).waitFor();
    await page.getByText('No pending invitations').waitFor();

    // Checked before it is sent: the form says what is missing, by keyboard only.
    await invite.getByLabel('Email').focus();
    await page.keyboard.type('ivy@');
    await invite.getByRole('button', { name: 'Send invitation' }).focus();
    await page.keyboard.press('Enter');
    await invite.getByText('Enter an email address').waitFor();
    await invite.getByText('Enter the name').waitFor();

    await invite.getByLabel('Email').fill('ivy@demo.kept.test');
    await invite.getByLabel('Name').fill('Ivy Invitee');
    await invite.getByLabel('Role').selectOption('engineer');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    const linkText = await page.getByTestId('invitation-link').textContent();
    const link = (linkText ?? '').trim();
    expect(link.startsWith(`${product!.url}/set-password#token=`)).toBe(true);
    const pending = page.getByRole('region', { name: 'Pending invitations' });
    await pending.getByRole('rowheader', { name: 'Ivy Invitee' }).waitFor();
    expect(await pending.getByRole('row', { name: /Ivy Invitee/ }).textContent()).toContain('Waiting');
    const users = page.getByRole('region', { name: 'Users' });
    expect(await users.getByRole('row', { name: /Ivy Invitee/ }).textContent()).toContain('Invited');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'invite-user.png'), fullPage: true });

    // The only admin cannot demote themself: the refusal says why.
    await page.getByLabel('Role of Ada Admin').selectOption('viewer');
    const refusal = page.getByRole('alert').filter({ hasText: 'the organization needs an active admin' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Ada Admin is the only active admin');
    expect(await page.getByLabel('Role of Ada Admin').inputValue()).toBe('admin');
    await refusal.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'last-admin-refused.png') });

    // The invitee, in a tab of their own: the link, a password, signed in.
    const invitee = await browser!.context.newPage();
    invitee.on('pageerror', (error) => pageErrors.push(error.message));
    await invitee.goto(link);
    await invitee.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await invitee.getByLabel('New password').fill('ivy-chooses-her-own-2026');
    await invitee.getByLabel('Repeat the password').fill('ivy-chooses-her-own-2026');
    await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
    const banner = invitee.getByRole('banner');
    await banner.getByText('Ivy Invitee').waitFor();
    await invitee.waitForURL('**/my-work');
    await invitee.locator('.spinner').first().waitFor({ state: 'detached' });
    await invitee.screenshot({ path: path.join(SCREENSHOTS, 'invitee-signed-in.png') });

    // No longer pending for the admin.
    await page.reload();
    await page.getByText('No pending invitations').waitFor();
    expect(await page.getByRole('region', { name: 'Users' }).getByRole('row', { name: /Ivy Invitee/ }).textContent()).toContain('Active');

    // Phone size: the invitation form and the pending list still fit.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Invite a user' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'invite-user-phone.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Later: signs out, and logs in with the chosen password.
    await banner.getByRole('button', { name: 'Sign out' }).click();
    await invitee.waitForURL('**/login');
    await signIn(invitee, 'ivy@demo.kept.test', 'ivy-chooses-her-own-2026');
    await invitee.getByRole('banner').getByText('Ivy Invitee').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
