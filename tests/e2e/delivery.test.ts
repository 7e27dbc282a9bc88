/**
 * The page tells the person when a code did not arrive: an SMS the emulator reports
 * undelivered (its delivery switch) makes the page offer a call within a few seconds, without
 * waiting out the resend countdown, and the call goes out at once. Polling is polite: it
 * stops while the tab is hidden and once the send's fate is known.
 */
import { axeViolations } from './helpers/axe';
import { waitForMessages } from './helpers/emulator';
import { useBrowserAndStack } from './helpers/setup';

const e2e = useBrowserAndStack({ env: { CHANNEL_FALLBACK: 'sms,call,email' } });

afterEach(async () => {
  await setDelivery('sms', 'delivered');
});

async function setDelivery(channel: string, outcome: 'delivered' | 'undelivered'): Promise<void> {
  const res = await fetch(`${e2e.stack.emulatorUrl}/emulator/v1/delivery`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, outcome }),
  });
  if (!res.ok) throw new Error(`POST delivery answered ${res.status}`);
}

async function open() {
  const opened = await e2e.open();
  const statusPolls: number[] = [];
  opened.page.on('request', (r) => {
    if (r.url().endsWith('/verification-status')) statusPolls.push(Date.now());
  });
  return { ...opened, statusPolls };
}

describe('delivery on the page', () => {
  test('an undelivered SMS: the page offers a call within seconds, and the call goes out at once', async () => {
    await setDelivery('sms', 'undelivered');
    const { page, verify, watch, statusPolls } = await open();
    const sentAt = Date.now();
    await verify.sendToPhone('415 555 0142', { country: 'US' });
    await verify.waitForStep('code');

    const offer = page.locator('#delivery-offer');
    await offer.waitFor({ state: 'visible', timeout: 8000 });
    expect(Date.now() - sentAt).toBeLessThan(8000);
    expect(await page.locator('#delivery-text').innerText()).toBe(
      'The SMS could not be delivered. Get a call instead?',
    );
    // The resend countdown is still running: the offer did not wait for it.
    expect(await verify.resendButton.getAttribute('aria-disabled')).toBe('true');
    // Announced too (the live region is cleared, then filled 50 ms later, so screen readers
    // repeat a message: wait for it rather than read it at once).
    await verify.liveRegion.filter({ hasText: 'The SMS could not be delivered.' }).waitFor({ timeout: 2000 });
    expect(await axeViolations(page)).toEqual([]);

    // Polling stopped once the SMS's fate was known.
    const polls = statusPolls.length;
    await page.waitForTimeout(3000);
    expect(statusPolls.length).toBe(polls);

    // By keyboard: the offer's button is reachable and sends a call at once.
    const button = page.locator('#delivery-switch');
    expect(await button.innerText()).toBe('Call me instead');
    await button.focus();
    const resent = await verify.answerOf('resend-verify', () => page.keyboard.press('Enter'));
    expect(resent).toMatchObject({ ok: true, channel: 'call' });
    const messages = await waitForMessages(e2e.stack.emulatorUrl, '+14155550142', 2);
    expect(messages.map((m) => m.channel)).toEqual(['sms', 'call']);
    await offer.waitFor({ state: 'hidden' });
    expect(await verify.seenText(verify.sentTo)).toContain('We’re calling');
    expect(watch.pageErrors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });

  test('a delivered SMS: no offer, polling backs off and stops, and a hidden tab is not polled', async () => {
    const { page, verify, statusPolls } = await open();
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    });
    await verify.sendToPhone('415 555 0143', { country: 'US' });
    await verify.waitForStep('code');
    await page.waitForTimeout(4000);
    expect(statusPolls).toEqual([]);

    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForTimeout(3000);
    // Visible again: polled, saw "delivered", and stopped.
    expect(statusPolls.length).toBeGreaterThanOrEqual(1);
    const polls = statusPolls.length;
    await page.waitForTimeout(3000);
    expect(statusPolls.length).toBe(polls);
    expect(await page.locator('#delivery-offer').isHidden()).toBe(true);
  });
});
