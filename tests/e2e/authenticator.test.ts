/**
 * Adding an authenticator app on the page and signing in with it, as a person would, with the
 * keyboard only: verify a number by SMS, read the QR code the page shows (its pixels, decoded
 * with jsQR), type the code otplib derives from the decoded URI, then come back later and use
 * "Use your authenticator app instead" with a later code. Each state is scanned with axe.
 *
 * UPDATE_DOCS_SCREENSHOTS=1 refreshes docs/screenshots/desktop-4-authenticator.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { codeFromUri } from '../support/otpauth';
import { axeViolations } from './helpers/axe';
import { advanceClock, latestCode } from './helpers/emulator';
import { useBrowserAndStack } from './helpers/setup';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const TO = '+14155552671';

const e2e = useBrowserAndStack({
  env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: 'local-backend', TOTP_ISSUER: 'Acme' },
});

beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
});

const emulatorSeconds = async () => {
  const { now } = (await (await fetch(`${e2e.stack.emulatorUrl}/emulator/v1/clock`)).json()) as { now: string };
  return Math.floor(Date.parse(now) / 1000);
};

/** Presses Tab until `id` has focus (at most 15 times): how a keyboard user gets there. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 15; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** The QR code as the page shows it: a screenshot of the image, its pixels read in the page, decoded by jsQR. */
async function readQr(page: Page): Promise<string> {
  const qr = page.locator('#totp-qr');
  await page.waitForFunction(() => (document.getElementById('totp-qr') as HTMLImageElement).naturalWidth > 0);
  const png = (await qr.screenshot({ path: join(SHOTS, 'authenticator-qr.png') })).toString('base64');
  const pixels = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width: image.width, height: image.height });
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.drawImage(image, 0, 0);
    return {
      width: image.width,
      height: image.height,
      data: Array.from(context.getImageData(0, 0, image.width, image.height).data),
    };
  }, png);
  const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
  if (!decoded) throw new Error('the QR code on the page could not be read');
  return decoded.data;
}

test('enrol by scanning the page’s QR code, then sign in later with the app instead of a sent code (keyboard only, axe clean)', async () => {
  const { page, watch, verify } = await e2e.open();

  // Verify the number by SMS, keyboard only.
  await verify.phone.focus();
  await page.keyboard.type('4155552671');
  await verify.answerOf('start-verify', () => page.keyboard.press('Enter'));
  await verify.waitForStep('code');
  await page.evaluate(() =>
    window.addEventListener('verify:approved', (e) =>
      document.body.setAttribute('data-approved', JSON.stringify((e as CustomEvent).detail)),
    ),
  );
  const checked = await verify.answerOf('check-verify', async () =>
    page.keyboard.type(await latestCode(e2e.stack.emulatorUrl, TO)),
  );
  expect(checked.ok).toBe(true);
  await verify.waitForStep('done');
  // The page's verify:approved event reaches window and carries the proof token for an embedding page's backend.
  const { token } = checked as { token?: string };
  expect(token).toMatch(/^eyJ/);
  expect(JSON.parse((await page.locator('body').getAttribute('data-approved')) ?? 'null')).toEqual({
    channel: 'sms',
    token,
  });

  // "Add an authenticator app": the QR code, the key to type by hand, a copy button.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('totp-add');
  await page.keyboard.press('Enter');
  await page.locator('#totp-panel').waitFor({ state: 'visible' });
  const uri = await readQr(page);
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  expect(decodeURIComponent(uri)).toContain('Acme +1******2671');
  const secret = new URL(uri).searchParams.get('secret');
  expect((await page.locator('#totp-secret').textContent())?.replace(/\s/g, '')).toBe(secret);
  await expect(page.getByRole('button', { name: 'Copy key' }).isVisible()).resolves.toBe(true);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, 'desktop-4-authenticator.png'), fullPage: true });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
    copyFileSync(
      join(SHOTS, 'desktop-4-authenticator.png'),
      join(ROOT, 'docs', 'screenshots', 'desktop-4-authenticator.png'),
    );
  expect(await axeViolations(page)).toEqual([]);

  // A wrong code is said next to the field; the right one (from otplib, not the emulator) adds the app.
  await tabTo(page, 'totp-confirm-code');
  await page.keyboard.type('000000' === (await codeFromUri(uri, await emulatorSeconds())) ? '111111' : '000000');
  const wrong = await verify.answerOf('totp-confirm' as 'check-verify', () => page.keyboard.press('Enter'));
  expect(wrong.error?.code).toBe('incorrect_code');
  await expect(page.locator('#totp-confirm-error').textContent()).resolves.toMatch(/isn’t right/);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('totp-confirm-code');
  await page.keyboard.type(await codeFromUri(uri, await emulatorSeconds()));
  const confirmed = await verify.answerOf('totp-confirm' as 'check-verify', () => page.keyboard.press('Enter'));
  expect(confirmed.ok).toBe(true);
  await expect(page.locator('#totp-notice').textContent()).resolves.toMatch(/Authenticator app added/);
  expect(await axeViolations(page)).toEqual([]);

  // Later: step 1 offers the app for this number (and not for another one).
  await advanceClock(e2e.stack.emulatorUrl, 150);
  await page.getByRole('button', { name: 'Verify another' }).focus();
  await page.keyboard.press('Enter');
  await verify.waitForStep('start');
  await verify.phone.focus();
  await page.keyboard.type('4155550100');
  await expect(page.locator('#totp-instead').isHidden()).resolves.toBe(true);
  await verify.phone.fill('');
  await page.keyboard.type('(415) 555-2671');
  await page.locator('#totp-instead').waitFor({ state: 'visible' });
  expect(await axeViolations(page)).toEqual([]);
  await tabTo(page, 'totp-instead');
  await page.keyboard.press('Enter');
  await page.locator('section[data-step="totp"]').waitFor({ state: 'visible' });
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('totp-code');
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.type(await codeFromUri(uri, await emulatorSeconds()));
  const signedIn = await verify.answerOf('totp-check' as 'check-verify', () => page.keyboard.press('Enter'));
  expect(signedIn).toMatchObject({ ok: true, status: 'approved', to: '+1******2671' });
  await verify.waitForStep('done');
  expect(await verify.seenText(page.locator('#done-dest'))).toBe('+1 ••• ••• 2671');
  // Signed in with the app: nothing more to add.
  await expect(page.locator('#totp-add').isHidden()).resolves.toBe(true);

  expect(watch.foreignRequests).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  // Everything above ran under the page's Content-Security-Policy (the QR code is a data: image),
  // and the policy is in force: an injected inline script does not run.
  expect(watch.console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(inlineRan).toBe(false);
  // The secret and the codes never go into a URL or storage.
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  expect(stored).not.toContain(secret as string);
  expect(stored).not.toContain('4155552671');
  expect(watch.requests.filter((r) => /totp|code/.test(new URL(r.url).search))).toEqual([]);
}, 90_000);
