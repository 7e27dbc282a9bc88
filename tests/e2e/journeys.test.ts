/**
 * The verification page in a real browser against twilio-run + the Verify emulator:
 * every journey a person can take, with codes read from the emulator's message API.
 */
import { advanceClock, latestCode, messagesTo, waitForMessages, wrongCode } from './helpers/emulator';
import { useBrowserAndStack } from './helpers/setup';

// Pinned so "call me instead" is always offered after SMS, whatever the defaults become.
const e2e = useBrowserAndStack({ env: { CHANNEL_FALLBACK: 'sms,call,email' } });
const open = e2e.open;

/** Every test gets its own number, so send limits and codes never cross between tests. */
const NUMBERS = {
  happy: { national: '415 555 2671', e164: '+14155552671' },
  wrongThenRight: { national: '(212) 555-0142', e164: '+12125550142' },
  resend: { national: '646 555 0187', e164: '+16465550187' },
  expiry: { national: '310-555-0123', e164: '+13105550123' },
  lockedOut: { national: '617 555 0164', e164: '+16175550164' },
  first: { national: '206 555 0111', e164: '+12065550111' },
  second: { typed: '+1 303 555 0177', e164: '+13035550177' },
} as const;

describe('verification page journeys', () => {
  test('SMS happy path: code from the emulator, typed, verified; the code goes nowhere but the check body', async () => {
    const { page, verify, watch } = await open({ viewport: 'mobile' });
    const start = await verify.sendToPhone(NUMBERS.happy.national, { country: 'US' });
    expect(start).toMatchObject({ ok: true, channel: 'sms', status: 'pending' });

    await verify.waitForStep('code');
    const sentTo = await verify.seenText(verify.sentTo);
    expect(sentTo).toBe('We sent a code to +1 ••• ••• 2671 by SMS.');
    expect(await verify.sentTo.textContent()).toContain('your number ending in 2671'); // what a screen reader says
    expect(sentTo).not.toContain('415');
    expect(await verify.activeElementId()).toBe('code');
    expect(await verify.code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await verify.code.getAttribute('inputmode')).toBe('numeric');

    // An embedding page listens on window: the event bubbles there from document.
    await page.evaluate(() =>
      window.addEventListener('verify:approved', (e) =>
        document.body.setAttribute('data-approved', JSON.stringify((e as CustomEvent).detail)),
      ),
    );
    const sent = await latestCode(e2e.stack.emulatorUrl, NUMBERS.happy.e164);
    const check = await verify.typeCode(sent);
    expect(check).toMatchObject({ ok: true, status: 'approved', to: '+1******2671' });
    expect(check.sid).toBeUndefined();
    await verify.waitForStep('done');
    const approved = JSON.parse((await page.locator('body').getAttribute('data-approved')) ?? 'null') as unknown;
    expect(approved).toEqual({ channel: 'sms' }); // no signing key here: no token (authenticator.test.ts has one)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('You’re verified');
    expect(await verify.activeElementId()).toBe('done-title');

    // The code went out exactly once, in the body of POST /check-verify, and nowhere else.
    const carrying = watch.requests.filter((r) => r.url.includes(sent) || r.postData?.includes(sent));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]).toMatchObject({ method: 'POST', url: `${e2e.stack.baseUrl}/check-verify` });
    expect(JSON.parse(carrying[0].postData ?? '{}')).toEqual({ code: sent, verification: start.verification });
    expect(watch.console.filter((line) => line.includes(sent))).toEqual([]);
    const kept = await page.evaluate(() =>
      [location.href, document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join(' '),
    );
    expect(kept).not.toContain(sent);
    expect(await verify.code.inputValue()).toBe('');
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  test('wrong code, then the right one', async () => {
    const { verify, watch } = await open();
    await verify.sendToPhone(NUMBERS.wrongThenRight.national, { country: 'US' });
    await verify.waitForStep('code');
    const sent = await latestCode(e2e.stack.emulatorUrl, NUMBERS.wrongThenRight.e164);

    const wrong = await verify.typeCode(wrongCode(sent));
    expect(wrong).toMatchObject({ ok: false, status: 'pending', error: { code: 'incorrect_code' } });
    await verify.codeError.waitFor({ state: 'visible' });
    expect(await verify.codeError.innerText()).toMatch(/isn’t right.*type it again/);
    expect(await verify.code.getAttribute('aria-invalid')).toBe('true');
    expect(await verify.descriptionOf(verify.code)).toContain('isn’t right');
    expect(await verify.code.inputValue()).toBe('');
    expect(await verify.activeElementId()).toBe('code');
    await verify.page.waitForFunction(() =>
      /isn’t right/.test(document.querySelector('[aria-live]')?.textContent ?? ''),
    );

    const right = await verify.typeCode(sent);
    expect(right).toMatchObject({ ok: true, status: 'approved' });
    await verify.waitForStep('done');
    expect(watch.pageErrors).toEqual([]);
  });

  test('resend: a visible countdown that follows retryAfter, the same verification and code, then "call me instead"', async () => {
    const { page, verify, watch } = await open({ viewport: 'mobile' });
    await page.clock.install();
    const first = await verify.sendToPhone(NUMBERS.resend.national, { country: 'US' });
    await verify.waitForStep('code');
    const wait = first.retryAfter ?? 30;

    expect(await verify.resendButton.getAttribute('aria-disabled')).toBe('true');
    const shownAtStart = await verify.seenText(verify.resendButton);
    expect(shownAtStart).toMatch(/^Resend code in \d:\d\d$/);
    expect(secondsIn(shownAtStart)).toBeGreaterThanOrEqual(wait - 1);
    expect(secondsIn(shownAtStart)).toBeLessThanOrEqual(wait);
    expect(first.nextChannel).toBe('call');
    expect(await verify.seenText(verify.switchButton)).toBe('Call me instead');
    expect(await verify.switchButton.getAttribute('aria-disabled')).toBe('true');

    await page.clock.fastForward(10_000);
    await page.waitForFunction((most) => {
      const shown = /(\d+):(\d\d)/.exec(document.getElementById('resend')?.textContent ?? '');
      return !!shown && Number(shown[1]) * 60 + Number(shown[2]) <= most;
    }, wait - 9);
    expect(secondsIn(await verify.seenText(verify.resendButton))).toBeGreaterThanOrEqual(wait - 11);

    // Clicking while the countdown runs sends nothing (force: Playwright itself waits out aria-disabled).
    await verify.resendButton.click({ force: true });
    await page.waitForTimeout(300);
    expect(watch.requests.filter((r) => /\/(start|resend)-verify$/.test(r.url))).toHaveLength(1);

    // Let both clocks pass the wait: the page's, and the emulator's (the server's cooldown runs on it).
    await advanceClock(e2e.stack.emulatorUrl, wait);
    await page.clock.fastForward((wait - 10 + 1) * 1000);
    await page.waitForFunction(() => document.getElementById('resend')!.getAttribute('aria-disabled') === 'false');
    expect(await verify.seenText(verify.resendButton)).toBe('Resend code');

    const second = await verify.answerOf('resend-verify', () => verify.resendButton.click());
    expect(second).toMatchObject({ ok: true, channel: 'sms', sendCodeAttempts: 2 });
    const messages = await waitForMessages(e2e.stack.emulatorUrl, NUMBERS.resend.e164, 2);
    expect(messages).toHaveLength(2);
    expect(messages[1].code).toBe(messages[0].code);
    expect(messages[1].verificationSid).toBe(messages[0].verificationSid);
    expect(JSON.stringify([first, second])).not.toContain(messages[0].verificationSid);
    const notice = page.locator('#code-notice');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.innerText()).toBe(
      'We sent your code again to your number ending in 0187 by SMS. It’s the same code as before.',
    );
    await page.waitForFunction(() =>
      /same code as before/.test(document.querySelector('[aria-live]')?.textContent ?? ''),
    );
    expect(await verify.resendButton.getAttribute('aria-disabled')).toBe('true');
    const shownAgain = await verify.seenText(verify.resendButton);
    expect(secondsIn(shownAgain)).toBeLessThanOrEqual(second.retryAfter ?? 30);
    expect(secondsIn(shownAgain)).toBeGreaterThanOrEqual((second.retryAfter ?? 30) - 1);

    // "Call me instead": the next channel of the server's order, after the next cooldown.
    expect(second.nextChannel).toBe('call');
    const pause = second.retryAfter ?? 30;
    await advanceClock(e2e.stack.emulatorUrl, pause);
    await page.clock.fastForward((pause + 1) * 1000);
    await page.waitForFunction(() => document.getElementById('switch')!.getAttribute('aria-disabled') === 'false');
    const byCall = await verify.answerOf('resend-verify', () => verify.switchButton.click());
    expect(byCall).toMatchObject({ ok: true, channel: 'call', sendCodeAttempts: 3 });
    const all = await waitForMessages(e2e.stack.emulatorUrl, NUMBERS.resend.e164, 3);
    expect(all[2]).toMatchObject({ channel: 'call', code: messages[0].code });
    expect(await verify.seenText(verify.sentTo)).toBe('We’re calling +1 ••• ••• 0187 with your code.');

    await verify.typeCode(messages[0].code);
    await verify.waitForStep('done');
  });

  test('expiry via the emulator clock: the page says the code expired and sends a new one', async () => {
    const { verify } = await open();
    const first = await verify.sendToPhone(NUMBERS.expiry.national, { country: 'US' });
    await verify.waitForStep('code');
    const stale = await latestCode(e2e.stack.emulatorUrl, NUMBERS.expiry.e164);
    await advanceClock(e2e.stack.emulatorUrl, 601);

    const late = await verify.typeCode(stale);
    expect(late).toMatchObject({ ok: false, error: { code: 'verification_not_found' } });
    await verify.deadEnd.waitFor({ state: 'visible' });
    expect(await verify.seenText(verify.deadEnd)).toMatch(/expired[\s\S]*Send a new code/);
    expect(await verify.code.isVisible()).toBe(false);
    expect(await verify.activeElementId()).toBe('restart');

    const again = await verify.answerOf('start-verify', () =>
      verify.page.getByRole('button', { name: 'Send a new code' }).click(),
    );
    expect(again.ok).toBe(true);
    expect(again.verification).not.toBe(first.verification);
    await verify.code.waitFor({ state: 'visible' });
    const fresh = await latestCode(e2e.stack.emulatorUrl, NUMBERS.expiry.e164, 2);
    expect(await verify.typeCode(fresh)).toMatchObject({ ok: true, status: 'approved' });
    await verify.waitForStep('done');
  });

  test('too many wrong codes: the page says the code is blocked, counts down, then a new code works', async () => {
    const { page, verify } = await open();
    await page.clock.install();
    await verify.sendToPhone(NUMBERS.lockedOut.national, { country: 'US' });
    await verify.waitForStep('code');
    const sent = await latestCode(e2e.stack.emulatorUrl, NUMBERS.lockedOut.e164);

    const answers: string[] = [];
    while (!(await verify.deadEnd.isVisible()) && answers.length < 7) {
      const answer = await verify.typeCode(wrongCode(sent));
      answers.push(answer.error?.code ?? 'ok');
      await page.waitForFunction(
        () => !document.getElementById('code-error')!.hidden || !document.getElementById('code-dead-end')!.hidden,
      );
    }
    // Verify's fifth wrong code ends the verification.
    expect(answers.slice(0, 4)).toEqual(Array(4).fill('incorrect_code'));
    expect(answers).toHaveLength(5);
    // The server's retryAfter, as a wait and a time of day, and as the button's countdown.
    expect(await verify.seenText(verify.deadEnd)).toMatch(
      /^Too many incorrect codes\. .*ask for a new code in \d+ (minutes|seconds) \(at [^)]+\).* Send a new code in \d+:\d\d$/,
    );
    expect(await verify.activeElementId()).toBe('restart');
    const restart = verify.page.locator('#restart');
    expect(await restart.getAttribute('aria-disabled')).toBe('true');

    // The number is blocked until the verification's 10 minutes are over; then a new code works.
    await advanceClock(e2e.stack.emulatorUrl, 601);
    await page.clock.fastForward(601_000);
    await page.waitForFunction(() => document.getElementById('restart')!.getAttribute('aria-disabled') === 'false');
    const fresh = await verify.answerOf('start-verify', () => restart.click());
    expect(fresh.ok).toBe(true);
    await verify.code.waitFor({ state: 'visible' });
    const code = await latestCode(e2e.stack.emulatorUrl, NUMBERS.lockedOut.e164, 2);
    expect(await verify.typeCode(code)).toMatchObject({ ok: true, status: 'approved' });
    await verify.waitForStep('done');
  });

  test('email channel: email input, masked address, code from the emulator', async () => {
    const { verify } = await open();
    expect(await verify.email.isVisible()).toBe(false);
    await verify.channel('Email').check();
    expect(await verify.email.isVisible()).toBe(true);
    expect(await verify.phone.isVisible()).toBe(false);
    expect(await verify.email.getAttribute('autocomplete')).toBe('email');

    const start = await verify.sendToEmail('ada.lovelace@example.com');
    expect(start).toMatchObject({ ok: true, channel: 'email' });
    await verify.waitForStep('code');
    expect(await verify.seenText(verify.sentTo)).toMatch(/^We emailed a code to .+\.$/);
    expect(await verify.seenText(verify.sentTo)).not.toContain('ada.lovelace@');
    expect(await verify.page.getByRole('button', { name: 'Change email' }).isVisible()).toBe(true);

    const messages = await waitForMessages(e2e.stack.emulatorUrl, 'ada.lovelace@example.com');
    expect(messages[0].channel).toBe('email');
    await verify.typeCode(messages[0].code);
    await verify.waitForStep('done');
  });

  test('email: the input’s own check first, then the server’s invalid_email on the email field', async () => {
    const { verify, watch } = await open();
    await verify.channel('Email').check();
    // The input's type=email check: "ada@" never leaves the page.
    await verify.email.fill('ada@');
    await verify.sendButton.click();
    expect(await verify.descriptionOf(verify.email)).toContain('Enter an email address like name@example.com.');
    expect(await verify.email.getAttribute('aria-invalid')).toBe('true');
    expect(watch.requests.filter((r) => r.url.endsWith('/start-verify'))).toEqual([]);

    // Well-formed for the browser (a domain without a dot), not for the server: its answer shows on the same field.
    const answer = await verify.sendToEmail('ada@example');
    expect(answer.error).toMatchObject({ code: 'invalid_email', field: 'to' });
    const error = verify.page.locator('#email-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toBe('Enter an email address like name@example.com.');
    expect(await verify.email.getAttribute('aria-invalid')).toBe('true');
    expect(await verify.descriptionOf(verify.email)).toContain('name@example.com');
    expect(await verify.activeElementId()).toBe('email');
    expect(await verify.visibleStep()).toBe('start');
  });

  test('invalid number: the server’s message appears next to the input, linked with aria-describedby', async () => {
    const { verify, watch } = await open();
    // Client-side first: an empty number never leaves the page.
    await verify.sendButton.click();
    expect(await verify.descriptionOf(verify.phone)).toContain('Enter your phone number.');
    expect(watch.requests.filter((r) => r.url.endsWith('/start-verify'))).toEqual([]);

    // Shaped like a number, so only the server can tell it is not one.
    const answer = await verify.sendToPhone('+1 000 000 0000');
    expect(answer.ok).toBe(false);
    expect(answer.error?.field).toBe('to');
    const error = verify.page.locator('#phone-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toBe(answer.error?.message);
    expect(await verify.phone.getAttribute('aria-invalid')).toBe('true');
    expect((await verify.phone.getAttribute('aria-describedby'))?.split(' ')).toContain('phone-error');
    expect(await verify.descriptionOf(verify.phone)).toContain(answer.error!.message);
    expect(await verify.activeElementId()).toBe('phone');
    expect(await verify.visibleStep()).toBe('start');

    // Typing again clears the error state.
    await verify.phone.pressSequentially('1');
    expect(await verify.phone.getAttribute('aria-invalid')).toBeNull();
  });

  test('"change number" and "try another way" go back without a reload; + numbers travel intact', async () => {
    const { verify, watch } = await open();
    await verify.markWindow();
    const started = await verify.sendToPhone(NUMBERS.first.national, { country: 'US' });
    await verify.waitForStep('code');

    const firstCode = await latestCode(e2e.stack.emulatorUrl, NUMBERS.first.e164);
    const canceled = await verify.answerOf('cancel-verify', () =>
      verify.page.getByRole('button', { name: 'Change number' }).click(),
    );
    expect(canceled.ok).toBe(true);
    await verify.waitForStep('start');
    // The code sent to the number given up on no longer works.
    const stale = await fetch(`${e2e.stack.baseUrl}/check-verify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: firstCode, verification: started.verification }),
    });
    expect(stale.status).toBe(404);
    expect(await verify.activeElementId()).toBe('phone');
    expect(await verify.phone.inputValue()).toBe(NUMBERS.first.national);

    const second = await verify.sendToPhone(NUMBERS.second.typed);
    expect(second.ok).toBe(true);
    const body = JSON.parse(watch.requests.filter((r) => r.url.endsWith('/start-verify')).at(-1)!.postData!);
    expect(body).toMatchObject({ to: NUMBERS.second.e164, channel: 'sms', locale: 'en' });
    expect(body.country).toBeUndefined();
    await verify.waitForStep('code');
    expect(await verify.seenText(verify.sentTo)).toContain('0177');

    await verify.page.getByRole('button', { name: 'Try another way' }).click();
    await verify.waitForStep('start');
    expect(await verify.activeElementId()).toBe('channel');
    // Same number again: it has one send schedule, so the page says how long to wait…
    const early = await verify.sendToPhone(NUMBERS.second.typed, { channel: 'Call' });
    expect(early).toMatchObject({ ok: false, error: { code: 'resend_too_soon' } });
    const wait = early.error?.retryAfter ?? 30;
    await verify.page.locator('#start-error').waitFor({ state: 'visible' });
    expect(await verify.seenText(verify.page.locator('#start-error'))).toMatch(/try again in \d+ seconds/);
    expect(await messagesTo(e2e.stack.emulatorUrl, NUMBERS.second.e164)).toHaveLength(1);
    // …and once it has passed (on the emulator's clock, the server's), the call goes out.
    await advanceClock(e2e.stack.emulatorUrl, wait);
    const byCall = await verify.answerOf('start-verify', () => verify.sendButton.click());
    expect(byCall.ok).toBe(true);
    await verify.waitForStep('code');
    expect(await verify.seenText(verify.sentTo)).toMatch(/^We’re calling .*0177 with your code\.$/);
    const messages = await waitForMessages(e2e.stack.emulatorUrl, NUMBERS.second.e164, 2);
    expect(messages.at(-1)!.channel).toBe('call');
    await verify.typeCode(messages.at(-1)!.code);
    await verify.waitForStep('done');
    expect(await verify.windowStillMarked()).toBe(true);
  });

  test('language and country follow the browser locale and reach the server', async () => {
    const { verify, watch } = await open({ locale: 'fr-FR' });
    expect(await verify.country.inputValue()).toBe('FR');
    expect(await verify.locale.inputValue()).toBe('fr');
    expect(await verify.page.locator('#country-face').innerText()).toBe('FR +33');
    await verify.locale.selectOption('pt-BR');
    await verify.country.selectOption('US');
    await verify.sendToPhone('408 555 0100');
    const body = JSON.parse(watch.requests.find((r) => r.url.endsWith('/start-verify'))!.postData!);
    expect(body).toEqual({ to: '4085550100', country: 'US', channel: 'sms', locale: 'pt-BR' });
    const [message] = await waitForMessages(e2e.stack.emulatorUrl, '+14085550100');
    expect(message.locale).toBe('pt-BR');
  });
});

function secondsIn(text: string): number {
  const match = /(\d+):(\d\d)/.exec(text);
  if (!match) throw new Error(`no countdown in "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}
