// Channel orchestration through the real SDK and the emulator, on the emulator's clock.
import twilio from 'twilio';
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as resendHandler } from '../../functions/resend-verify';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { handler as statusHandler } from '../../functions/verification-status';
import { createEmulator, EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID, type Emulator } from '../../emulator';
import { invoke, type Handler } from '../support/invoke';

const TO = '+14155552671';
let emulator: Emulator;
let env: Record<string, string>;

beforeEach(() => {
  emulator = createEmulator();
  env = {};
});

const call = (handler: unknown, params: Record<string, unknown>) =>
  invoke(handler as Handler, params, {
    context: {
      DOMAIN_NAME: 'localhost:3000',
      VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
      ...env,
      getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient }),
    },
  });
const received = (to: string) => emulator.messages({ to }).filter((m) => m.status === 'delivered');
const channels = (to: string) => emulator.messages({ to }).map((m) => `${m.channel}:${m.status}`);

describe('resend with cooldowns and the fallback order', () => {
  it('refuses an early resend with the exact wait, then moves sms → call with the same code', async () => {
    const started = await call(startHandler, { to: TO });
    expect(started.body).toMatchObject({ retryAfter: 30, nextChannel: 'call' });
    emulator.advanceClock(12);
    const early = await call(resendHandler, { verificationSid: started.body.sid });
    expect(early.status).toBe(429);
    expect(early.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 18 });
    expect(early.headers['Retry-After']).toBe('18');

    emulator.advanceClock(18);
    const resent = await call(resendHandler, { verificationSid: started.body.sid });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ sid: started.body.sid, channel: 'call', sendCodeAttempts: 2, retryAfter: 40 });
    expect(channels(TO)).toEqual(['sms:delivered', 'call:delivered']);
    const [sms, voice] = received(TO);
    expect(voice.code).toBe(sms.code);
    expect(voice.body).toMatch(/\d, \d/); // spoken digit by digit
    expect((await call(checkHandler, { code: voice.code, verificationSid: started.body.sid })).status).toBe(200);
  });

  it('an explicit "call me instead" skips ahead only within the order', async () => {
    env.CHANNEL_FALLBACK = 'sms,whatsapp,call';
    const started = await call(startHandler, { to: TO });
    expect(started.body.nextChannel).toBe('whatsapp');
    emulator.advanceClock(30);
    const resent = await call(resendHandler, { verificationSid: started.body.sid, channel: 'call' });
    expect(resent.body).toMatchObject({ channel: 'call' });
    expect(resent.body.nextChannel).toBeUndefined();
  });

  it('email comes last and only with an address: a new verification with its own code', async () => {
    const started = await call(startHandler, { to: TO, email: 'jane@example.com' });
    emulator.advanceClock(30);
    await call(resendHandler, { verificationSid: started.body.sid, email: 'jane@example.com' });
    emulator.advanceClock(40);
    const byEmail = await call(resendHandler, { verificationSid: started.body.sid, email: 'jane@example.com' });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ channel: 'email', to: 'j***@example.com' });
    expect(byEmail.body.sid).not.toBe(started.body.sid);
    const [mail] = received('jane@example.com');
    expect((await call(checkHandler, { code: mail.code, verificationSid: byEmail.body.sid })).status).toBe(200);
  });

  it('without an address the order stops at call and keeps calling', async () => {
    const started = await call(startHandler, { to: TO });
    emulator.advanceClock(30);
    await call(resendHandler, { verificationSid: started.body.sid });
    emulator.advanceClock(40);
    const third = await call(resendHandler, { verificationSid: started.body.sid });
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
    await call(resendHandler, { verificationSid: started.body.sid });
    expect(channels(TO)).toEqual(['whatsapp:undelivered', 'sms:delivered']);
    expect((await call(checkHandler, { code: received(TO)[0].code, to: TO })).status).toBe(200);
  });

  it('WhatsApp refused by Verify (60223): sent by SMS at once, and the answer does not say so', async () => {
    await emulator.handle({
      method: 'POST',
      path: '/emulator/v1/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match: { method: 'POST', path: '/Verifications' }, count: 1, status: 400, code: 60223, message: 'Delivery channel disabled: WHATSAPP' }),
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

describe('cancel and status', () => {
  it('status lists attempts with their channels; cancel by number ends it; cancel again is still ok', async () => {
    const started = await call(startHandler, { to: TO });
    emulator.advanceClock(30);
    await call(resendHandler, { verificationSid: started.body.sid });
    const status = await call(statusHandler, { verificationSid: started.body.sid });
    expect(status.body).toMatchObject({ status: 'pending', retryAfter: 40 });
    expect(status.body.attempts).toEqual([expect.objectContaining({ channel: 'sms' }), expect.objectContaining({ channel: 'call' })]);

    const code = received(TO)[0].code;
    expect((await call(cancelHandler, { to: '415 555 2671', country: 'US' })).body).toEqual({ ok: true, status: 'canceled' });
    expect((await call(checkHandler, { code, verificationSid: started.body.sid })).status).toBe(404);
    expect((await call(cancelHandler, { verificationSid: started.body.sid })).status).toBe(200);
    expect((await call(statusHandler, { verificationSid: started.body.sid })).status).toBe(404);
  });
});
