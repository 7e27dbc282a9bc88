/**
 * The owner's report page (assets/admin.html) in a real browser against twilio-run + the
 * emulator with a seeded history: its numbers match the emulator's Attempts Summary, it is
 * usable by keyboard alone, axe finds nothing, and the token never leaves the tab's memory.
 *
 * Screenshots go to test-results/screenshots/; UPDATE_DOCS_SCREENSHOTS=1 also refreshes the
 * ones docs/http-api.md shows, in docs/screenshots/.
 */
import { guardContract } from './helpers/contract-guard';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '../../emulator';
import { axeViolations } from './helpers/axe';
import { VIEWPORTS, type ViewportName } from './helpers/browser';
import { useBrowserAndStack } from './helpers/setup';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots');

const e2e = useBrowserAndStack();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const seeded = await fetch(`${e2e.stack.emulatorUrl}/emulator/v1/seed-attempts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ count: 3000, days: 30, seed: 16 }),
  });
  if (seeded.status !== 201) throw new Error(`seeding answered ${seeded.status}`);
}, 120_000);

async function openAdmin(viewport: ViewportName = 'desktop') {
  const context = await e2e.newContext({
    viewport: VIEWPORTS[viewport],
    colorScheme: 'light',
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  guardContract(page);
  const foreign: string[] = [];
  const urls: string[] = [];
  const origin = new URL(e2e.stack.baseUrl).origin;
  page.on('request', (request) => {
    urls.push(request.url());
    if (!request.url().startsWith('data:') && new URL(request.url()).origin !== origin) foreign.push(request.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${e2e.stack.baseUrl}/admin.html`);
  return { page, foreign, urls, errors };
}

/** The emulator's own Attempts Summary since a date, read with the account's credentials. */
async function emulatorSummary(
  after: string,
): Promise<{ total_attempts: number; total_converted: number; conversion_rate_percentage: string }> {
  const auth = `Basic ${Buffer.from(`${EMULATOR_ACCOUNT_SID}:${EMULATOR_AUTH_TOKEN}`).toString('base64')}`;
  const res = await fetch(
    `${e2e.stack.emulatorUrl}/v2/Attempts/Summary?DateCreatedAfter=${encodeURIComponent(after)}`,
    { headers: { Authorization: auth } },
  );
  return (await res.json()) as { total_attempts: number; total_converted: number; conversion_rate_percentage: string };
}

/** Waits for the report; fails at once with the page's own message or script error when it shows one. */
async function reportShown(page: Page, errors: string[]) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    expect(errors).toEqual([]);
    if (await page.locator('#status.error').count()) expect(await text(page, '#status')).toBe('no error');
    if (await page.locator('#report').isVisible()) return;
    if (Date.now() > deadline) throw new Error(`no report; status: ${await text(page, '#status')}`);
    await page.waitForTimeout(100);
  }
}

const text = async (page: Page, selector: string) => (await page.locator(selector).textContent())?.trim() ?? '';
const asNumber = (value: string) => Number(value.replace(/[^\d.]/g, ''));

/** Signs in and shows a window using the keyboard only. */
async function showByKeyboard(page: Page, token: string, windowLabel: string) {
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
  await page.keyboard.type(token);
  await page.keyboard.press('Tab'); // the checked radio of the window group
  const wanted = await page.getByLabel(windowLabel).getAttribute('value');
  for (
    let i = 0;
    i < 3 && (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)) !== wanted;
    i += 1
  ) {
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Show report');
  await page.keyboard.press('Enter');
}

describe('admin report page', () => {
  it('renders the seeded history, and its numbers match the emulator’s Attempts Summary', async () => {
    const { page, foreign, urls, errors } = await openAdmin();
    await showByKeyboard(page, e2e.stack.adminToken, 'Last 30 days');
    await reportShown(page, errors);
    await expect(text(page, '#status')).resolves.toMatch(/Showing the last 30 days/);

    const from = await page.evaluate(() => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 19) + 'Z');
    const summary = await emulatorSummary(from);
    expect(summary.total_attempts).toBe(3000);
    expect(asNumber(await text(page, '#total-attempts'))).toBe(summary.total_attempts);
    expect(asNumber(await text(page, '#total-converted'))).toBe(summary.total_converted);
    expect(await text(page, '#total-rate')).toBe(`${Number(summary.conversion_rate_percentage).toFixed(1)}%`);
    await expect(text(page, '#summary-check')).resolves.toMatch(/Matches the attempts above/);

    // Every chart comes with its table; the channel table adds up to the total.
    const pairs = page.locator('.chart-pair');
    expect(await pairs.count()).toBe(6);
    for (let i = 0; i < 6; i += 1) {
      await expect(pairs.nth(i).locator('svg[role="img"]').count()).resolves.toBe(1);
      await expect(pairs.nth(i).locator('table').count()).resolves.toBe(1);
    }
    const channelAttempts = await page.locator('#conversion-channel tbody tr td:nth-of-type(1)').allTextContents();
    expect(channelAttempts.map(asNumber).reduce((a, b) => a + b, 0)).toBe(summary.total_attempts);
    // The seeded pumping bursts are flagged.
    await expect(text(page, '#pumping table')).resolves.toMatch(/Uzbekistan \(UZ\)/);
    await expect(text(page, '#pumping table')).resolves.toMatch(/Prefix \+99890/);
    // At 1280 px its five columns show whole, without scrolling sideways.
    const cut = await page.locator('#pumping .table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
    expect(cut).toBeLessThanOrEqual(0);

    // The token stays in memory: not in the URL, storage, cookies or the input.
    expect(page.url()).toBe(`${e2e.stack.baseUrl}/admin.html`);
    expect(urls.some((url) => url.includes(e2e.stack.adminToken))).toBe(false);
    const stored = await page.evaluate(() =>
      JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]),
    );
    expect(stored).toBe('[{},{},""]');
    expect(await page.locator('#token').inputValue()).toBe('');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);

    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'admin-desktop-30d.png'), fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      mkdirSync(DOCS_SHOTS, { recursive: true });
      copyFileSync(join(SHOTS, 'admin-desktop-30d.png'), join(DOCS_SHOTS, 'admin-desktop-30d.png'));
    }
  });

  it('switches windows without asking for the token again, and matches the summary for 24 hours', async () => {
    const { page, errors } = await openAdmin('mobile');
    await showByKeyboard(page, e2e.stack.adminToken, 'Last 7 days');
    await reportShown(page, errors);
    await page.getByLabel('Last 24 hours').check();
    await page.waitForFunction(() =>
      /Showing the last 24 hours/.test(document.getElementById('status')?.textContent ?? ''),
    );
    const from = await page.evaluate(() => new Date(Date.now() - 86_400_000).toISOString().slice(0, 19) + 'Z');
    const summary = await emulatorSummary(from);
    expect(asNumber(await text(page, '#total-attempts'))).toBe(summary.total_attempts);
    expect(summary.total_attempts).toBeGreaterThan(0);
    expect(await page.locator('#series tbody tr').count()).toBe(25);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'admin-mobile-24h.png'), fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
      copyFileSync(join(SHOTS, 'admin-mobile-24h.png'), join(DOCS_SHOTS, 'admin-mobile-24h.png'));
  });

  it('says so when the token is wrong, and shows nothing', async () => {
    const { page } = await openAdmin();
    await showByKeyboard(page, 'not-the-token', 'Last 7 days');
    await page.waitForFunction(() => document.getElementById('status')?.classList.contains('error'));
    await expect(text(page, '#status')).resolves.toMatch(/admin token is not valid/i);
    expect(await page.locator('#report').isHidden()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('runs under its own Content-Security-Policy, and will not take a token inside another site’s frame', async () => {
    const { page, errors } = await openAdmin();
    // The policy is in force: an injected inline script does not run.
    const blocked = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      return !(window as unknown as { __inlineRan?: boolean }).__inlineRan;
    });
    expect(blocked).toBe(true);
    expect(errors).toEqual([]);
    // Framed by a page of another origin (about:blank with content of its own), the form is not offered.
    const framer = await page.context().newPage();
    await framer.setContent(`<iframe src="${e2e.stack.baseUrl}/admin.html" title="framed"></iframe>`, {
      waitUntil: 'load',
    });
    const frame = framer.frameLocator('iframe');
    await expect(frame.locator('#status').textContent()).resolves.toMatch(/cannot be used inside a frame/);
    expect(await frame.locator('#report-form').isHidden()).toBe(true);
  });
});
