/**
 * The emulator inbox's authenticator section in a real browser: hidden until a TOTP factor
 * exists, then the code an app enrolled with it shows now, following the emulator clock; axe
 * finds nothing on the page with the section shown.
 */
import twilio from 'twilio';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID } from '../../emulator';
import { createEmulatorHttpClient } from '../../src/verify/emulator-http-client';
import { axeViolations } from './helpers/axe';
import { useBrowserAndEmulator } from './helpers/setup';

const e2e = useBrowserAndEmulator();

test('shows each factor’s current code, follows the clock, no axe violations', async () => {
  const server = e2e.server;
  const page = await (await e2e.newContext()).newPage();
  const base = `http://127.0.0.1:${server.port}`;
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('updates every second'));
  expect(await page.isVisible('#authenticator')).toBe(false);

  const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, {
    httpClient: createEmulatorHttpClient(`127.0.0.1:${server.port}`, 5000) as never,
  });
  const factor = await client.verify.v2
    .services(EMULATOR_SERVICE_SID)
    .entities('0123456789abcdef')
    .newFactors.create({ friendlyName: 'Acme +1******0199', factorType: 'totp' });
  const current = () => server.emulator.totpFactors().find((f) => f.sid === factor.sid)?.code ?? '';

  // The code the emulator gives now, read again on every try: a real 30 s step may end while
  // the page catches up, and a code captured once would then never show.
  const showsCurrentCode = async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if ((await page.textContent('#authenticator .code')) === current()) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };

  await page.waitForSelector('#authenticator:not([hidden]) .code');
  expect(await showsCurrentCode()).toBe(true);
  expect(await page.textContent('#authenticator')).toContain('Acme +1******0199 · unverified');

  await fetch(`${base}/emulator/v1/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: 30 }),
  });
  expect(await showsCurrentCode()).toBe(true);

  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});
