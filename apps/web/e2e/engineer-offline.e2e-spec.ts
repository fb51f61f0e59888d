import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 } as const;

/**
 * The engineer in a basement, on a phone (390×844), against the real product: the service worker has the
 * app shell, so My work opens without a network; two milestones tapped offline wait in IndexedDB (the count
 * shows), and when the connection returns they are sent in order — exactly two are recorded, none doubled.
 */
describe('engineer offline (browser, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page;
  let caseId = '';
  let reference = '';
  let dispatcher = '';
  const pageErrors: string[] = [];

  const api = async (method: string, route: string, auth: string | null, body?: unknown) => {
    const res = await fetch(`${product!.url}/api/v1${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const login = async (email: string) => `Bearer ${(await api('POST', '/auth/login', null, { email, password: 'kept-demo' })).body.accessToken as string}`;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setViewportSize({ ...PHONE });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });

    dispatcher = await login('dispatcher@demo.kept.test');
    const engineer = await login('engineer@demo.kept.test');
    const me = (await api('GET', '/auth/me', engineer)).body as { user: { id: string } };
    const customerId = (await api('POST', '/customers', dispatcher, { name: 'Basement Clinic (offline test)' })).body.id as string;
    const now = Date.now();
    const created = await api('POST', '/cases', dispatcher, {
      customerId,
      category: 'offline-e2e',
      priority: 'high',
      summary: 'Basement freezer alarm (offline test)',
      context: 'Vaccines inside; must be cold again before the morning clinic.',
      openedAt: new Date(now - 30 * 60_000).toISOString(),
      requiredAt: new Date(now + 6 * 3_600_000).toISOString(),
      promisedAt: new Date(now + 4 * 3_600_000).toISOString(),
      promiseBreakdown: { arrivalMinutes: 60, diagnosisMinutes: 30, fixMinutes: 90, testMinutes: 30 },
      assigneeId: me.user.id,
    });
    expect(created.status).toBe(201);
    caseId = created.body.id as string;
    reference = created.body.reference as string;
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('records two milestones tapped offline exactly once each when the connection returns', async () => {
    await page.goto(`${product!.url}/login`);
    await page.getByLabel('Email').fill('engineer@demo.kept.test');
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${product!.url}/my-work`);
    const card = page.locator('[data-testid=work-card]', { hasText: reference });
    await card.waitFor();
    // The service worker has precached the shell and controls the page.
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'engineer-my-work-390.png') });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-card-390.png') });

    await browser!.context.setOffline(true);
    await card.getByRole('button', { name: 'Arrived on site' }).click();
    await card.locator('li.is-done', { hasText: 'Arrived on site' }).waitFor().catch(async (error: unknown) => {
      await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-offline-debug-390.png') });
      throw new Error(`${String(error)}\npage errors: ${pageErrors.join('\n')}`);
    });
    await card.getByRole('button', { name: 'Problem diagnosed' }).click();
    await page.getByTestId('taps-waiting').filter({ hasText: '2 taps waiting to be sent' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'engineer-offline-2-waiting-390.png') });
    await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-offline-2-waiting-card-390.png') });

    // Without a network the app still opens (the shell from the service worker) and still knows what waits.
    await page.reload();
    await page.getByRole('heading', { name: 'My work' }).waitFor();
    await page.getByTestId('taps-waiting').filter({ hasText: '2 taps waiting to be sent' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'engineer-offline-reloaded-390.png') });
    const nothingYet = await api('GET', `/cases/${caseId}`, dispatcher);
    expect((nothingYet.body.milestones as unknown[]).length).toBe(0);

    await browser!.context.setOffline(false);
    await page.getByTestId('taps-waiting').waitFor({ state: 'detached', timeout: 60_000 });
    await card.locator('li.is-next', { hasText: 'Fix done' }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-back-online-card-390.png') });

    const after = await api('GET', `/cases/${caseId}`, dispatcher);
    const kinds = (after.body.milestones as { kind: string }[]).map((m) => m.kind);
    expect(kinds.sort()).toEqual(['arrived', 'diagnosed']);
  });

  it('keeps a photo taken offline behind the tap it belongs to, and sends both in order, once each', async () => {
    const card = page.locator('[data-testid=work-card]', { hasText: reference });
    const sent: string[] = [];
    // The POSTs the API answered (tries made while offline fail before reaching it and are not counted).
    const onResponse = (r: Response) => {
      if (r.request().method() === 'POST' && r.url().includes(`/cases/${caseId}/`)) sent.push(`${new URL(r.url()).pathname.split('/').pop()} ${r.status()}`);
    };
    page.on('response', onResponse);

    await browser!.context.setOffline(true);
    await card.getByRole('button', { name: 'Fix done' }).click();
    await card.locator('li.is-done', { hasText: 'Fix done' }).waitFor();
    await card.locator('summary', { hasText: 'Photo, note or re-promise' }).click();
    await card.getByText(/Photo or PDF for “Fix done”/).waitFor();
    const png = readFileSync(path.join(REPO_ROOT, 'apps/web/public/icon-512.png'));
    await card.locator('input[type=file]').setInputFiles({ name: 'new-relay.png', mimeType: 'image/png', buffer: png });
    await card.getByLabel('Note').fill('New relay fitted');
    await card.getByRole('button', { name: 'Send the file' }).click();
    await card.getByText('Kept on this phone: it is sent after your taps as soon as you are online.').waitFor();
    await page.getByTestId('taps-waiting').filter({ hasText: '1 tap and 1 file waiting to be sent' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'engineer-offline-photo-waiting-390.png') });
    await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-offline-photo-waiting-card-390.png') });
    expect(((await api('GET', `/cases/${caseId}/attachments`, dispatcher)).body.items as unknown[]).length).toBe(0);

    await browser!.context.setOffline(false);
    await page.getByTestId('taps-waiting').waitFor({ state: 'detached', timeout: 60_000 });
    await card.getByText('Sent: dispatch sees it on the case.').waitFor();
    page.off('response', onResponse);

    // In order: the tap, then its photo; each exactly once (a resend would replay its Idempotency-Key).
    expect(sent).toEqual(['milestones 201', 'attachments 201']);
    const detail = await api('GET', `/cases/${caseId}`, dispatcher);
    expect((detail.body.milestones as { kind: string }[]).filter((m) => m.kind === 'fixed')).toHaveLength(1);
    const files = (await api('GET', `/cases/${caseId}/attachments`, dispatcher)).body.items as { milestone: string; note: string; fileName: string; sizeBytes: number }[];
    expect(files).toEqual([expect.objectContaining({ milestone: 'fixed', note: 'New relay fitted', fileName: 'new-relay.png', sizeBytes: png.length })]);
    await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-photo-sent-card-390.png') });
    // Closed again: the next test opens it afresh.
    await card.locator('summary', { hasText: 'Photo, note or re-promise' }).click();
  });

  it('sends a photo and asks for a re-promise; the dispatcher sees both on the case page and accepts', async () => {
    const card = page.locator('[data-testid=work-card]', { hasText: reference });
    await card.locator('summary', { hasText: 'Photo, note or re-promise' }).click();
    const png = readFileSync(path.join(REPO_ROOT, 'apps/web/public/icon-192.png'));
    await card.locator('input[type=file]').setInputFiles({ name: 'compressor.png', mimeType: 'image/png', buffer: png });
    await card.getByLabel('Note').fill('Compressor relay burnt');
    await card.getByRole('button', { name: 'Send the file' }).click();
    await card.getByText('Sent: dispatch sees it on the case.').waitFor();
    await card.getByRole('button', { name: 'Ask for a re-promise' }).click();
    await card.getByLabel('Why', { exact: false }).fill('Relay must come from the depot');
    await card.getByRole('button', { name: 'Send to dispatch' }).click();
    await card.getByText(/Re-promise asked for .* waiting for dispatch/).waitFor();
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(SCREENSHOTS, 'engineer-asked-repromise-card-390.png') });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill('dispatcher@demo.kept.test');
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${product!.url}/cases/${caseId}`);
    const request = page.getByTestId('repromise-request');
    await request.waitFor();
    await page.locator('img.attachment__thumb').first().waitFor();
    await page.locator('#field-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dispatcher-case-from-the-field-390.png') });
    const before = (await api('GET', `/cases/${caseId}`, dispatcher)).body.promisedAt as string;
    await request.getByRole('button', { name: 'Accept and re-promise' }).click();
    await page.getByText(/re-promised for/).waitFor();
    const after = await api('GET', `/cases/${caseId}`, dispatcher);
    expect(after.body.promisedAt).not.toBe(before);
    expect((after.body.promises as unknown[]).length).toBe(2);
  });
});
