import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, VIEWPORT, type LaunchedBrowser } from './support/browser';
import { REPO_ROOT, startProduct, type RunningProduct } from './support/product';

const OUTPUT = path.join(REPO_ROOT, 'test-output');
const SCREENSHOTS = path.join(OUTPUT, 'screenshots');
/** Phone widths: 390 px (a current iPhone) and 320 px (WCAG 1.4.10's reflow width). */
const WIDTHS = [390, 320] as const;
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type Role = 'dispatcher' | 'engineer' | 'manager' | 'admin' | null;
interface PageVisit {
  name: string;
  role: Role;
  path: () => string;
  /** A selector that is there once the page has its data. */
  ready: string;
}

interface Overflow {
  /** document.documentElement.scrollWidth − innerWidth: > 0 means the page scrolls sideways. */
  excess: number;
  /** The elements sticking out furthest on the right (to explain a failure). */
  widest: string[];
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** How far the page is wider than the viewport, and which elements stick out. */
function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : '';
      const classes = [...element.classList].slice(0, 2).map((c) => `.${c}`).join('');
      const testId = element.getAttribute('data-testid');
      return `${element.tagName.toLowerCase()}${id}${classes}${testId ? `[data-testid=${testId}]` : ''}`;
    };
    const sticking = [...document.querySelectorAll('body *')]
      .map((element) => ({ element, right: element.getBoundingClientRect().right }))
      .filter(({ element, right }) => right > width + 0.5 && element.getClientRects().length > 0)
      // Only the outermost offenders: an element whose parent also sticks out adds nothing.
      .filter(({ element }, _, all) => !all.some((other) => other.element !== element && other.element.contains(element) && other.element !== document.body))
      .sort((a, b) => b.right - a.right)
      .slice(0, 5)
      .map(({ element, right }) => `${describe(element)} (right edge ${Math.round(right)} px)`);
    return { excess: document.documentElement.scrollWidth - width, widest: sticking };
  });
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; evaluated over CDP, so the page's CSP does not block it. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`),
    }));
  });
}

describe('every page on a phone, and its accessibility (browser, real API and database)', () => {
  let product: RunningProduct | undefined;
  let browser: LaunchedBrowser | undefined;
  let page: Page;
  let caseId = '';
  let statusPath = '';
  let signedInAs: Role = null;
  const pageErrors: string[] = [];
  const overflow: Record<string, Record<number, Overflow>> = {};
  const violations: Record<string, AxeViolation[]> = {};

  const api = async (method: string, route: string, auth: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${product!.url}/api/v1${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const signInAs = async (role: Role) => {
    if (signedInAs === role) return;
    await page.setViewportSize({ ...VIEWPORT });
    if (signedInAs) {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
    }
    signedInAs = role;
    if (!role) return;
    await page.goto(`${product!.url}/login`);
    await page.getByLabel('Email').fill(`${role}@demo.kept.test`);
    await page.getByLabel('Password').fill('kept-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  };

  const PAGES: PageVisit[] = [
    { name: 'login', role: null, path: () => '/login', ready: 'h1:has-text("Sign in")' },
    { name: 'public-status', role: null, path: () => statusPath, ready: 'h1' },
    { name: 'board', role: 'dispatcher', path: () => '/board', ready: '[data-testid=board-row]' },
    { name: 'cases', role: 'dispatcher', path: () => '/cases', ready: '[data-testid=case-row]' },
    { name: 'case', role: 'dispatcher', path: () => `/cases/${caseId}`, ready: 'h2:has-text("The four times")' },
    { name: 'new-case', role: 'dispatcher', path: () => '/cases/new', ready: 'select:has(option:nth-child(2))' },
    { name: 'alerts', role: 'dispatcher', path: () => '/alerts', ready: 'main h1' },
    { name: 'analytics', role: 'dispatcher', path: () => '/analytics', ready: '[data-testid=kpi-keep-rate]' },
    { name: 'preferences', role: 'dispatcher', path: () => '/preferences', ready: 'form[aria-label="My notifications"]' },
    { name: 'my-work', role: 'engineer', path: () => '/my-work', ready: '[data-testid=work-card]' },
    { name: 'settings', role: 'manager', path: () => '/settings', ready: 'form[aria-label^="Calendar "]' },
    { name: 'branding', role: 'admin', path: () => '/settings?tab=branding', ready: 'form[aria-label="Branding"]' },
  ];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    product = await startProduct();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      // The live stream is optional (use-live-updates.ts) and is cut when a page is left.
      if (response.status() >= 400 && !response.url().includes('/api/v1/events')) pageErrors.push(`${response.status()} ${response.url()}`);
    });

    // A case to open (the most urgent on the board) and a status link for its customer.
    const login = await api('POST', '/auth/login', null, { email: 'dispatcher@demo.kept.test', password: 'kept-demo' });
    const auth = `Bearer ${login.body.accessToken as string}`;
    const cases = await api('GET', '/cases?limit=1&status=open', auth);
    caseId = (cases.body.items as { id: string }[])[0].id;
    const link = await api('POST', `/cases/${caseId}/status-links`, auth, { expiresInDays: 7 }, { 'idempotency-key': `phone-e2e-${Date.now()}` });
    expect(link.status).toBe(201);
    statusPath = new URL(link.body.url as string).pathname;
  });

  afterAll(async () => {
    writeFileSync(path.join(OUTPUT, 'phone-reflow.json'), JSON.stringify({ overflow, violations }, null, 2));
    await browser?.close();
    await product?.stop();
  });

  it('serves the build pre-compressed: brotli JavaScript and CSS, immutable for a year, index.html revalidated', async () => {
    const assets: Promise<{ url: string; encoding?: string; cache?: string; bytes: number }>[] = [];
    const onResponse = (response: import('playwright-core').Response) => {
      if (/\/assets\/.*\.(js|css)$/.test(response.url())) {
        const headers = response.headers();
        assets.push(
          response.body().then((body) => ({ url: response.url(), encoding: headers['content-encoding'], cache: headers['cache-control'], bytes: body.length })),
        );
      }
    };
    page.on('response', onResponse);
    const document = await page.goto(`${product!.url}/login`);
    await page.locator('h1:has-text("Sign in")').waitFor();
    page.off('response', onResponse);
    expect(document?.headers()['cache-control']).toBe('no-cache');
    const loaded = await Promise.all(assets);
    expect(loaded.length).toBeGreaterThan(1);
    for (const asset of loaded) {
      expect(asset.cache).toBe('public, max-age=31536000, immutable');
      // Every file the build compressed (all but those under 1 KiB) arrives as brotli.
      if (asset.bytes >= 1024) expect({ url: asset.url, encoding: asset.encoding }).toEqual({ url: asset.url, encoding: 'br' });
    }
    expect(loaded.filter((a) => a.encoding === 'br').length).toBeGreaterThan(0);
  });

  for (const visit of PAGES) {
    it(`fits ${visit.name} into 390 and 320 px without sideways scrolling, with no serious accessibility violation`, async () => {
      await signInAs(visit.role);
      overflow[visit.name] = {};
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 844 });
        await page.goto(`${product!.url}${visit.path()}`);
        await page.locator(visit.ready).first().waitFor();
        await page.waitForLoadState('networkidle');
        overflow[visit.name][width] = await measureOverflow(page);
        await page.screenshot({ path: path.join(SCREENSHOTS, `phone-${visit.name}-${width}.png`), fullPage: true });
        await page.screenshot({ path: path.join(SCREENSHOTS, `phone-${visit.name}-${width}-top.png`) });
        if (width === 390) violations[visit.name] = await axeViolations(page);
      }
      for (const width of WIDTHS) {
        // (A negative excess is the width of a classic scrollbar: nothing to scroll sideways.)
        const { excess, widest } = overflow[visit.name][width];
        expect({ page: visit.name, width, excess: Math.max(0, excess), widest: excess > 0 ? widest : [] }).toEqual({ page: visit.name, width, excess: 0, widest: [] });
      }
      const serious = violations[visit.name].filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect({ page: visit.name, serious }).toEqual({ page: visit.name, serious: [] });
    });
  }

  it('fits every step of the four-step call into 390 and 320 px, with the ETA note and a new customer form', async () => {
    await signInAs('dispatcher');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${product!.url}/cases/new`);
    const customer = page.getByRole('combobox', { name: /^Customer/ });
    await customer.locator('option:nth-child(2)').waitFor({ state: 'attached' });
    const steps: Record<string, Record<number, Overflow>> = {};
    const measure = async (name: string) => {
      steps[name] = {};
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 844 });
        steps[name][width] = await measureOverflow(page);
        await page.screenshot({ path: path.join(SCREENSHOTS, `phone-new-case-${name}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 390, height: 844 });
    };

    await page.getByRole('button', { name: '+ New customer' }).click();
    await page.getByRole('group', { name: 'New customer' }).waitFor();
    await measure('new-customer');
    await page.getByRole('group', { name: 'New customer' }).getByRole('button', { name: 'Cancel' }).click();

    await customer.selectOption({ index: 1 });
    await page.getByLabel('Category').fill('Instrument down');
    await page.getByLabel('Problem').fill('Analyzer shows error E-42 on the sample probe');
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 26 * 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.getByLabel(/She needs it resolved by/).fill(tomorrow);
    await page.getByLabel('What is at stake, in her words').fill('The doctor calls patients at 4 pm.');
    await page.getByRole('radio', { name: '3' }).check();
    await page.getByLabel('She confirmed: that is what she needs').check();
    await measure('1-need');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 2 of 4/ }).waitFor();
    await page.getByRole('radio', { name: /Erik Engineer/ }).check();
    await page.getByLabel('Engineer ETA (minutes from now)').fill('1');
    await measure('2-trepidation');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 4/ }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=promise-summary]')?.textContent?.includes('Loading'));
    await measure('3-promise');
    violations['new-case-3-promise'] = await axeViolations(page);
    await page.getByLabel('She accepted this promise').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 4 of 4/ }).waitFor();
    await measure('4-engineer');

    overflow['new-case steps'] = Object.fromEntries(
      Object.entries(steps).flatMap(([name, byWidth]) => Object.entries(byWidth).map(([width, o]) => [`${name} ${width}`, o])),
    ) as unknown as Record<number, Overflow>;
    for (const [name, byWidth] of Object.entries(steps)) {
      for (const width of WIDTHS) {
        const { excess, widest } = byWidth[width];
        expect({ step: name, width, excess: Math.max(0, excess), widest: excess > 0 ? widest : [] }).toEqual({ step: name, width, excess: 0, widest: [] });
      }
    }
    const serious = violations['new-case-3-promise'].filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  });

  it('had no page errors or failed requests', async () => {
    await page.setViewportSize({ ...VIEWPORT });
    expect(pageErrors).toEqual([]);
  });
});
