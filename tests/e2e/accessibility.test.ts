/**
 * The page's quality bar in a real browser: an axe-core scan and a screenshot of every step at
 * phone and desktop sizes in light and dark, a keyboard-only journey with visible focus, and
 * the weight and origin of everything the page loads.
 *
 * Screenshots go to test-results/screenshots/ (git-ignored). UPDATE_DOCS_SCREENSHOTS=1 also
 * refreshes the few the docs show (README.md, docs/page.md), in docs/screenshots/.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, isSerious, type AxeViolation } from './helpers/axe';
import type { ViewportName } from './helpers/browser';
import { latestCode, wrongCode } from './helpers/emulator';
import { useBrowserAndStack } from './helpers/setup';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots');

const e2e = useBrowserAndStack();
const open = e2e.open;
/** Every scan's findings, written next to the screenshots for the record. */
const axeReport: Record<string, AxeViolation[]> = {};

beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(() => {
  writeFileSync(join(SHOTS, 'axe-report.json'), JSON.stringify(axeReport, null, 2));
});

/** Screenshot + axe scan of the page as it is; returns the serious and critical findings. */
async function record(page: Page, name: string): Promise<AxeViolation[]> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const violations = await axeViolations(page);
  axeReport[name] = violations;
  return violations.filter(isSerious);
}

const LOOKS: Array<[ViewportName, 'light' | 'dark', string]> = [
  ['mobile', 'light', '+17185550199'],
  ['desktop', 'light', '+19175550123'],
  ['mobile', 'dark', '+13055550144'],
  ['desktop', 'dark', '+17025550155'],
];

describe('every step, scanned and photographed', () => {
  test.each(LOOKS)('%s, %s: axe finds nothing serious on any step', async (viewport, colorScheme, number) => {
    const { page, verify, watch } = await open({ viewport, colorScheme });
    const look = `${viewport}-${colorScheme}`;
    const serious: Record<string, AxeViolation[]> = {};
    const step = async (name: string) => {
      serious[name] = await record(page, `${look}-${name}`);
    };

    await step('1-start');
    await verify.sendToPhone('+1 000 000 0000');
    await page.locator('#phone-error').waitFor({ state: 'visible' });
    await step('1b-start-error');

    await verify.sendToPhone(number.slice(2), { country: 'US' });
    await verify.waitForStep('code');
    await step('2-code');

    const code = await latestCode(e2e.stack.emulatorUrl, number);
    await verify.typeCode(wrongCode(code));
    await verify.codeError.waitFor({ state: 'visible' });
    await step('2b-wrong-code');

    await verify.typeCode(code);
    await verify.waitForStep('done');
    await step('3-verified');

    expect(serious).toEqual({
      '1-start': [],
      '1b-start-error': [],
      '2-code': [],
      '2b-wrong-code': [],
      '3-verified': [],
    });
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.pageErrors).toEqual([]);

    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' && colorScheme === 'light') {
      mkdirSync(DOCS_SHOTS, { recursive: true });
      for (const name of ['1-start', '2-code', '3-verified']) {
        copyFileSync(join(SHOTS, `${look}-${name}.png`), join(DOCS_SHOTS, `${viewport}-${name}.png`));
      }
    }
  });

  test('the expired state: scanned and photographed', async () => {
    const { page, verify } = await open({ viewport: 'desktop' });
    const number = '+15035550166';
    await verify.sendToPhone(number.slice(2), { country: 'US' });
    await verify.waitForStep('code');
    const code = await latestCode(e2e.stack.emulatorUrl, number);
    await fetch(`${e2e.stack.emulatorUrl}/emulator/v1/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 601 }),
    });
    await verify.typeCode(code);
    await verify.deadEnd.waitFor({ state: 'visible' });
    expect(await record(page, 'desktop-light-2c-expired')).toEqual([]);
  });
});

describe('keyboard only', () => {
  /** Whether the focused control (or the tile / face drawn for it) shows a focus outline. */
  const focusIsVisible = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const drawn = el.closest('.channel') ?? el.closest('.country')?.querySelector('.country-face') ?? el;
      const style = getComputedStyle(drawn);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    });

  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      return `${el.tagName.toLowerCase()}#${el.id || el.name}${el.type === 'radio' ? `=${el.value}` : ''}`;
    });

  test('choose a channel, type a number, send, type the code, start over: no mouse', async () => {
    const { page, verify } = await open({ viewport: 'desktop' });
    const number = '+12145550177';

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input#channel=sms');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('input#channel=call');
    expect(await verify.channel('Call').isChecked()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await verify.channel('SMS').isChecked()).toBe(true);

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('select#country');
    expect(await focusIsVisible(page)).toBe(true);
    expect(await verify.country.inputValue()).toBe('US');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input#phone');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.type('214 555 0177');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('select#locale');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button#send');
    expect(await focusIsVisible(page)).toBe(true);
    await verify.answerOf('start-verify', () => page.keyboard.press('Enter'));

    // Focus lands in the code input: the code can be typed straight away.
    await verify.waitForStep('code');
    expect(await focused(page)).toBe('input#code');
    expect(await focusIsVisible(page)).toBe(true);
    const code = await latestCode(e2e.stack.emulatorUrl, number);
    await verify.answerOf('check-verify', () => page.keyboard.type(code));
    await verify.waitForStep('done');
    expect(await focused(page)).toBe('h1#done-title');

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button#again');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await verify.waitForStep('start');
    expect(await focused(page)).toBe('input#phone');
    expect(await verify.phone.inputValue()).toBe('');
  });

  test('step 2 links are reachable by Tab, and Enter on "Change number" goes back with focus on the number', async () => {
    const { page, verify } = await open({ viewport: 'mobile' });
    await verify.phone.focus();
    await page.keyboard.type('404 555 0188');
    await verify.answerOf('start-verify', () => page.keyboard.press('Enter'));
    await verify.waitForStep('code');

    const stops: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
      expect(await focusIsVisible(page)).toBe(true);
    }
    expect(stops).toEqual([
      'button#verify',
      'button#resend',
      'button#switch',
      'button#other-channel',
      'button#change-dest',
    ]);
    await verify.answerOf('cancel-verify', () => page.keyboard.press('Enter'));
    await verify.waitForStep('start');
    expect(await focused(page)).toBe('input#phone');
    expect(await verify.phone.inputValue()).toBe('404 555 0188');
  });
});

describe('weight and origin', () => {
  test('html + css + js under 40 KB, all from the page’s own origin', async () => {
    const { page, watch } = await open({ viewport: 'mobile' });
    await page.reload({ waitUntil: 'networkidle' });
    const sizes = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .concat(performance.getEntriesByType('navigation'))
        .map((e) => [e.name, (e as PerformanceResourceTiming).decodedBodySize] as const),
    );
    const own = sizes.filter(([url]) => /\.(html|css|js)$/.test(new URL(url).pathname));
    const total = own.reduce((sum, [, size]) => sum + size, 0);
    // The build bundles the page's modules into app.js: one request for all of its script.
    expect(own.map(([url]) => new URL(url).pathname).sort()).toEqual(['/app.js', '/index.html', '/styles.css']);
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(40_000);
    expect(watch.foreignRequests).toEqual([]);
    writeFileSync(join(SHOTS, 'page-weight.json'), JSON.stringify({ total, files: Object.fromEntries(own) }, null, 2));
  });
});
