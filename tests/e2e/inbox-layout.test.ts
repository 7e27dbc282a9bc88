// The emulator inbox with a busy SMS column (all five channels shown): the Email and Voice columns stay in view
// (each column scrolls inside itself), on a desktop and on a phone.
import { VIEWPORTS, type ViewportName } from './helpers/browser';
import { useBrowserAndEmulator } from './helpers/setup';

const e2e = useBrowserAndEmulator();

beforeAll(async () => {
  const server = e2e.server;
  const client = server.emulator.httpClient;
  const send = (To: string, Channel: string) =>
    client.request({
      method: 'post',
      uri: `https://verify.twilio.com/v2/Services/${server.emulator.serviceSid}/Verifications`,
      username: server.emulator.accountSid,
      password: server.emulator.authToken,
      data: { To, Channel },
    });
  for (let i = 0; i < 20; i += 1) await send(`+1212${2_000_000 + i}`, 'sms');
  await send('+14155552672', 'whatsapp');
  await send('+14155552673', 'rcs');
  await send('person@example.com', 'email');
  await send('+14155552671', 'call');
}, 60000);

test.each<[ViewportName, number]>([
  ['desktop', 800],
  ['mobile', 1800],
])(
  '%s: with 20 SMS (and every other channel), the Email and Voice columns start within %i px of the top',
  async (viewport, limit) => {
    const context = await e2e.newContext({ viewport: VIEWPORTS[viewport], reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/`);
    await page.locator('#heading-email').waitFor();
    for (const heading of ['#heading-email', '#heading-call']) {
      const box = await page.locator(heading).boundingBox();
      expect(box?.y ?? Infinity).toBeLessThan(limit);
    }
    // The SMS list scrolls within its column, and can be reached from the keyboard.
    const sms = page.locator('section[aria-labelledby="heading-sms"] ol');
    expect(await sms.evaluate((list) => list.scrollHeight > list.clientHeight)).toBe(true);
    expect(await sms.getAttribute('tabindex')).toBe('0');
  },
);
