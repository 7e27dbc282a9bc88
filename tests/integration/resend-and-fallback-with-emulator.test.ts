// Resend through the real SDK and the emulator, on the emulator's clock: cooldowns, the fallback order, WhatsApp → SMS.
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as resendHandler } from '../../functions/resend-verify';
import type { Emulator } from '../../emulator';
import { invoke, type Handler } from '../support/invoke';
import { emulatorContext, useFrozenEmulator } from '../support/project-emulator';

const TO = '+14155552671';
let emulator: Emulator;
let env: Record<string, string>;

useFrozenEmulator((fresh) => {
  emulator = fresh;
  env = {};
});

const call = (handler: unknown, params: Record<string, unknown>) =>
  invoke(handler as Handler, params, { context: emulatorContext(emulator, env) });
const received = (to: string) => emulator.messages({ to }).filter((m) => m.status === 'delivered');
const channels = (to: string) => emulator.messages({ to }).map((m) => `${m.channel}:${m.status}`);

describe('resend with cooldowns and the fallback order', () => {
  it('refuses an early resend with the exact wait, then moves sms → call with the same code', async () => {
    const started = await call(startHandler, { to: TO });
    expect(started.body).toMatchObject({ retryAfter: 30, expiresIn: 600, nextChannel: 'call' });
    emulator.advanceClock(12);
    const early = await call(resendHandler, { verification: started.body.verification });
    expect(early.status).toBe(429);
    expect(early.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 18 });
    expect(early.headers['Retry-After']).toBe('18');

    emulator.advanceClock(18);
    const resent = await call(resendHandler, { verification: started.body.verification });
    expect(resent.status).toBe(200);
    // The same code, so the same window: 30 s of it have passed on Verify's clock.
    expect(resent.body).toMatchObject({ channel: 'call', sendCodeAttempts: 2, retryAfter: 40, expiresIn: 570 });
    expect(channels(TO)).toEqual(['sms:delivered', 'call:delivered']);
    const [sms, voice] = received(TO);
    expect(voice.code).toBe(sms.code);
    expect(voice.body).toMatch(/\d, \d/); // spoken digit by digit
    expect((await call(checkHandler, { code: voice.code, verification: started.body.verification })).status).toBe(200);
  });

  it('an explicit "call me instead" skips ahead only within the order', async () => {
    env.CHANNEL_FALLBACK = 'sms,whatsapp,call';
    const started = await call(startHandler, { to: TO });
    expect(started.body.nextChannel).toBe('whatsapp');
    emulator.advanceClock(30);
    const resent = await call(resendHandler, { verification: started.body.verification, channel: 'call' });
    expect(resent.body).toMatchObject({ channel: 'call' });
    expect(resent.body.nextChannel).toBeUndefined();
  });

  it('email comes last and only with an address: a new verification with its own code', async () => {
    const started = await call(startHandler, { to: TO, email: 'jane@example.com' });
    emulator.advanceClock(30);
    // The address travels in the handle: the resend needs nothing else.
    await call(resendHandler, { verification: started.body.verification });
    emulator.advanceClock(40);
    const byEmail = await call(resendHandler, { verification: started.body.verification });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ channel: 'email', to: 'j***@example.com', sendCodeAttempts: 1 });
    const [mail] = received('jane@example.com');
    expect((await call(checkHandler, { code: mail.code, verification: byEmail.body.verification })).status).toBe(200);
  });

  it('the email fallback joins the one send schedule: no burst of emails through old handles', async () => {
    const started = await call(startHandler, { to: TO, email: 'jane@example.com' });
    emulator.advanceClock(30);
    await call(resendHandler, { verification: started.body.verification });
    emulator.advanceClock(40);
    expect((await call(resendHandler, { verification: started.body.verification })).status).toBe(200);
    emulator.advanceClock(60);
    // The phone verification's own cooldown is over, but the email just went out 60 s ago:
    // the old handle (or a new start to the address) waits for the address's schedule.
    const again = await call(resendHandler, { verification: started.body.verification, channel: 'email' });
    expect(again.status).toBe(200);
    const burst = await Promise.all(
      [1, 2, 3].map(() => call(resendHandler, { verification: started.body.verification, channel: 'email' })),
    );
    expect(burst.map((r) => r.status)).toEqual([429, 429, 429]);
    const fresh = await call(startHandler, { to: 'JANE@example.com', channel: 'email' });
    expect(fresh.status).toBe(429);
    expect(fresh.body.error).toMatchObject({ code: 'resend_too_soon' });
    expect(emulator.messages({ to: 'jane@example.com' })).toHaveLength(2);
  });

  it('without an address the order stops at call and keeps calling', async () => {
    const started = await call(startHandler, { to: TO });
    emulator.advanceClock(30);
    // Each send answers a new handle to keep: it is what covers this caller's sends so far.
    const second = await call(resendHandler, { verification: started.body.verification });
    emulator.advanceClock(40);
    const third = await call(resendHandler, { verification: second.body.verification });
    expect(third.body).toMatchObject({ channel: 'call', sendCodeAttempts: 3, retryAfter: 60 });
  });
});

describe('WhatsApp → SMS', () => {
  it('undelivered WhatsApp: the inbox shows it, the next channel (sms) delivers the same code', async () => {
    env.CHANNEL_FALLBACK = 'whatsapp,sms,call';
    emulator.setDeliveryOutcome('whatsapp', 'undelivered');
    const started = await call(startHandler, { to: TO, channel: 'whatsapp' });
    expect(started.body).toMatchObject({ channel: 'whatsapp', nextChannel: 'sms' });
    expect(received(TO)).toHaveLength(0);
    emulator.advanceClock(30);
    await call(resendHandler, { verification: started.body.verification });
    expect(channels(TO)).toEqual(['whatsapp:undelivered', 'sms:delivered']);
    expect(
      (await call(checkHandler, { code: received(TO)[0].code, verification: started.body.verification })).status,
    ).toBe(200);
  });

  it('WhatsApp refused by Verify (60223): sent by SMS at once, and the answer does not say so', async () => {
    await emulator.handle({
      method: 'POST',
      path: '/emulator/v1/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        match: { method: 'POST', path: '/Verifications' },
        count: 1,
        status: 400,
        code: 60223,
        message: 'Delivery channel disabled: WHATSAPP',
      }),
    });
    const started = await call(startHandler, { to: TO, channel: 'whatsapp' });
    expect(started.status).toBe(200);
    expect(started.body.channel).toBe('whatsapp');
    expect(channels(TO)).toEqual(['sms:delivered']);
  });

  it('with WHATSAPP_SMS_FALLBACK=false the refusal is reported', async () => {
    env.WHATSAPP_SMS_FALLBACK = 'false';
    await emulator.handle({
      method: 'POST',
      path: '/emulator/v1/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match: { method: 'POST', path: '/Verifications' }, count: 1, status: 400, code: 60223 }),
    });
    const started = await call(startHandler, { to: TO, channel: 'whatsapp' });
    expect(started.status).toBe(403);
    expect(started.body.error).toMatchObject({ code: 'channel_disabled', twilioCode: 60223 });
    expect(emulator.messages({ to: TO })).toHaveLength(0);
  });
});
