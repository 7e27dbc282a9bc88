// POST /resend-verify with a stubbed Verify: cooldowns, the fallback order, and switching at once after a send that did not arrive.
import { handler as resendHandler } from '../../functions/resend-verify';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { handler as statusHandler } from '../../functions/verification-status';
import { attempts, attemptsPage, sealedHandle, twilioError, type VerifyStub } from '../support/twilio-stub';
import { handleRouteHelpers, NUMBER, useHandleRouteStub, VE } from '../support/handle-route-stub';

let stub: VerifyStub;
let H: string;
useHandleRouteStub((fresh, handle) => {
  stub = fresh;
  H = handle;
});
const { sent, run, pending } = handleRouteHelpers(() => stub);
describe('resend-verify', () => {
  it("refuses an early resend with the exact wait, measured on Verify's clock", async () => {
    // Verify's Date header says 25 s after the last send, whatever our own clock says.
    pending(1, 25, 'sms', Date.parse('2030-01-01T00:00:25Z'));
    const res = await run(resendHandler, { verification: H });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 5 });
    expect(res.headers['Retry-After']).toBe('5');
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('after the cooldown, sends on the next channel of the order with the next cooldown', async () => {
    // One fixed instant for Verify's clock and the new send: a second boundary between two
    // Date.now() calls would otherwise read as a 41 s wait.
    const now = Date.parse('2030-01-01T00:00:00Z');
    pending(1, 31, 'sms', now);
    stub.onVerificationCreate = (p) => ({
      sid: VE,
      to: p.to,
      channel: 'sms',
      status: 'pending',
      dateCreated: new Date(now - 31000),
      sendCodeAttempts: [...attempts(1, 'sms', now - 31000), ...attempts(1, String(p.channel), now)],
    });
    const res = await run(resendHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(sent()).toEqual({ to: NUMBER, channel: 'call' });
    // The same verification, created 31 s ago: its code works 569 s more, not a fresh 600.
    expect(res.body).toMatchObject({
      ok: true,
      verification: expect.any(String),
      channel: 'call',
      sendCodeAttempts: 2,
      retryAfter: 40,
      expiresIn: 569,
      to: '+1******2671',
    });
    expect(JSON.stringify(res.body)).not.toContain(VE);
    // No email was offered, so the order (sms, call, email) has nowhere further to go.
    expect(res.body.nextChannel).toBeUndefined();
  });

  it("re-checks the number against the resend's channel from what start found (a landline takes calls, not texts)", async () => {
    const LANDLINE = '+442079460958';
    const env = { ALLOWED_COUNTRIES: 'GB', CHANNEL_FALLBACK: 'call,sms' };
    pending(1, 3600, 'call');
    stub.onVerificationCreate = (p) => ({
      sid: VE,
      to: p.to,
      channel: String(p.channel),
      status: 'pending',
      dateCreated: new Date(),
      sendCodeAttempts: attempts(2, String(p.channel)),
    });
    const byCall = sealedHandle({ verificationSid: VE, to: LANDLINE, phone: LANDLINE, channel: 'call' });
    const texted = await run(resendHandler, { verification: byCall, channel: 'sms' }, env);
    expect([texted.status, texted.body.error?.code, texted.body.error?.field]).toEqual([
      400,
      'landline_not_supported',
      'to',
    ]);
    expect(stub.calls.verificationCreate).toHaveLength(0);
    const called = await run(resendHandler, { verification: byCall, channel: 'call' }, env);
    expect(called.status).toBe(200);
    expect(called.body.to).toBe('+44******0958');
    // The country is checked under today's setting too: a deployment that stopped serving GB refuses it.
    const moved = await run(
      resendHandler,
      { verification: byCall, channel: 'call' },
      { ...env, ALLOWED_COUNTRIES: 'US' },
    );
    expect([moved.status, moved.body.error?.code]).toEqual([403, 'destination_blocked']);
  });

  it('offers email next when the handle carries an address, and sends there with a new handle', async () => {
    pending(2, 3600, 'call');
    const withEmail = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, email: 'jane@example.com' });
    stub.onVerificationCreate = (p) => ({
      sid: `VE${'e'.repeat(32)}`,
      to: p.to,
      channel: p.channel,
      status: 'pending',
      dateCreated: new Date(),
      sendCodeAttempts: attempts(1, 'email'),
    });
    const res = await run(resendHandler, { verification: withEmail });
    expect(sent()).toEqual({ to: 'jane@example.com', channel: 'email' });
    expect(res.body).toMatchObject({ channel: 'email', to: 'j***@example.com', sendCodeAttempts: 1 });
    expect(res.body.verification).not.toBe(withEmail);
  });

  it('an email verification someone else opened since the resend looked is not shared: 429, no handle (attack round 11)', async () => {
    pending(2, 3600, 'call');
    const withEmail = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, email: 'jane@example.com' });
    stub.onVerificationCreate = (p) => ({
      sid: `VE${'e'.repeat(32)}`,
      to: p.to,
      channel: p.channel,
      status: 'pending',
      dateCreated: new Date(),
      sendCodeAttempts: attempts(2, 'email'),
    });
    const res = await run(resendHandler, { verification: withEmail });
    expect(sent()).toEqual({ to: 'jane@example.com', channel: 'email' });
    expect([res.status, res.body.error?.code, res.body.verification]).toEqual([429, 'resend_too_soon', undefined]);
  });

  it("the email fallback waits for the email address's own cooldown too", async () => {
    const now = Date.now();
    stub.lastHeaders = { date: new Date(now).toUTCString() };
    stub.onVerificationFetch = (p) =>
      p.sid === VE
        ? {
            sid: VE,
            to: NUMBER,
            channel: 'call',
            status: 'pending',
            dateCreated: new Date(now - 300_000),
            sendCodeAttempts: attempts(2, 'call', now - 3600_000),
          }
        : {
            sid: `VE${'e'.repeat(32)}`,
            to: 'jane@example.com',
            channel: 'email',
            status: 'pending',
            dateCreated: new Date(now - 5000),
            sendCodeAttempts: attempts(1, 'email', now - 5000),
          };
    const res = await run(resendHandler, {
      verification: sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, email: 'jane@example.com' }),
    });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 25 });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('follows CHANNEL_FALLBACK and RESEND_COOLDOWNS from the environment', async () => {
    pending(1, 11);
    const res = await run(
      resendHandler,
      { verification: H },
      { CHANNEL_FALLBACK: 'sms,whatsapp', RESEND_COOLDOWNS: '10,20' },
    );
    expect(res.status).toBe(200);
    expect(sent()).toEqual({ to: NUMBER, channel: 'whatsapp' });
  });

  it.each([
    [{ verification: 'H', channel: 'email' }, 400, 'invalid_request', 'channel'],
    [{ verification: 'H', channel: 'rcs' }, 400, 'unsupported_channel', 'channel'],
    [{ verification: 'H', email: 'jane@example.com' }, 400, 'invalid_request', 'email'],
    [{ verification: 'VE1' }, 400, 'invalid_verification', 'verification'],
    [{ verificationSid: VE }, 400, 'invalid_request', 'verificationSid'],
    [{}, 400, 'invalid_request', 'verification'],
  ])('%j → %i %s', async (params, status, code, field) => {
    pending(1, 3600);
    const res = await run(
      resendHandler,
      'verification' in params && params.verification === 'H' ? { ...params, verification: H } : params,
    );
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, field });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('a finished verification is not found (fetch and the probe check both say 20404)', async () => {
    stub.onVerificationFetch = () => twilioError(404, 20404);
    stub.onCheckCreate = () => twilioError(404, 20404);
    const res = await run(resendHandler, { verification: H });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'verification_not_found' });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('during a lockout (fetch 20404, check 60202) → 429 max_check_attempts until the window ends, nothing sent', async () => {
    stub.onVerificationFetch = () => twilioError(404, 20404);
    stub.onCheckCreate = () => twilioError(429, 60202);
    const res = await run(resendHandler, {
      verification: sealedHandle({ verificationSid: VE, expiresAt: Date.now() + 120_000 }),
    });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'max_check_attempts', twilioCode: 60202 });
    // A resend takes no `code`: the error names no field it does not take.
    expect(res.body.error?.field).toBeUndefined();
    expect(Math.abs((res.body.error?.retryAfter as number) - 120)).toBeLessThanOrEqual(1);
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  // The handle's verification ended between the fetch and the send (a cancel or an approval
  // racing the resend, attack round 10), so Verify put the send in another verification.
  it.each([
    ['one this send opened (its only attempt) is cancelled', 1, [{ sid: `VE${'9'.repeat(32)}`, status: 'canceled' }]],
    ['one someone else opened meanwhile is left alone', 2, []],
  ])('a resend whose verification ended before its send is 404; %s', async (_, sends, cancelled) => {
    pending(1, 31);
    stub.onVerificationCreate = (p) => ({
      sid: `VE${'9'.repeat(32)}`,
      to: p.to,
      channel: String(p.channel),
      status: 'pending',
      dateCreated: new Date(),
      sendCodeAttempts: attempts(sends, String(p.channel)),
    });
    const res = await run(resendHandler, { verification: H });
    expect([res.status, res.body.error?.code, res.body.verification]).toEqual([
      404,
      'verification_not_found',
      undefined,
    ]);
    expect(stub.calls.verificationCreate).toHaveLength(1);
    expect(stub.calls.verificationUpdate).toEqual(cancelled);
  });

  it("when someone else sent since this handle, the new handle counts only this caller's new send", async () => {
    pending(2, 3600);
    stub.onVerificationCreate = (p) => ({
      sid: VE,
      to: p.to,
      channel: 'sms',
      status: 'pending',
      sendCodeAttempts: [...attempts(2, 'sms', Date.now() - 3600_000), ...attempts(1, String(p.channel))],
    });
    const stale = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, attemptOffset: 0, knownAttempts: 1 });
    const res = await run(resendHandler, { verification: stale });
    expect(res.status).toBe(200);
    expect(res.body.sendCodeAttempts).toBe(1);
    // Its status shows its new send only, not the other person's in between.
    pending(3, 5, 'call');
    const status = await run(statusHandler, { verification: res.body.verification });
    expect(status.body.attempts).toHaveLength(1);
    // And it made no longer every send, so it cannot cancel the shared code.
    expect((await run(cancelHandler, { verification: res.body.verification })).body).toEqual({
      ok: true,
      status: 'pending',
    });
  });

  it("a malformed CHANNEL_FALLBACK is the operator's fault", async () => {
    pending(1, 3600);
    const res = await run(resendHandler, { verification: H }, { CHANNEL_FALLBACK: 'sms,pigeon' });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
  });
});

describe('resend-verify after a send that did not arrive', () => {
  function failedSms(status: string, secondsAgo = 10) {
    const now = Date.now();
    pending(1, secondsAgo, 'sms', now);
    const sends = attempts(1, 'sms', now - secondsAgo * 1000);
    stub.onRequest = () => attemptsPage(VE, sends, [status]);
    stub.onVerificationCreate = (p) => ({
      sid: VE,
      to: p.to,
      channel: 'sms',
      status: 'pending',
      sendCodeAttempts: [...sends, ...attempts(1, String(p.channel))],
    });
  }

  it('switches to a call at once', async () => {
    failedSms('undelivered');
    const res = await run(resendHandler, { verification: H, channel: 'call' });
    expect(res.status).toBe(200);
    expect(sent()).toEqual({ to: NUMBER, channel: 'call' });
    expect(res.body).toMatchObject({ channel: 'call', sendCodeAttempts: 2, retryAfter: 40 });
  });

  it('the default resend (the next channel) also goes at once', async () => {
    failedSms('failed');
    const res = await run(resendHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(sent()).toEqual({ to: NUMBER, channel: 'call' });
  });

  it('another SMS on the same channel still waits for the cooldown', async () => {
    failedSms('undelivered');
    const res = await run(resendHandler, { verification: H, channel: 'sms' });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 20 });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('a delivered (or still unknown) SMS keeps the cooldown for a call too', async () => {
    failedSms('delivered');
    expect((await run(resendHandler, { verification: H, channel: 'call' })).status).toBe(429);
    failedSms('sent');
    expect((await run(resendHandler, { verification: H, channel: 'call' })).status).toBe(429);
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it("another caller's failed send does not let this caller skip the cooldown", async () => {
    failedSms('undelivered');
    const later = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, attemptOffset: 1 });
    const res = await run(resendHandler, { verification: later, channel: 'call' });
    expect(res.status).toBe(429);
    expect(stub.requests).toHaveLength(0);
  });

  it('when the Attempts API cannot be read, an early switch gets the ordinary wait', async () => {
    failedSms('undelivered');
    stub.onRequest = () => twilioError(503, 20503);
    const res = await run(resendHandler, { verification: H, channel: 'call' });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 20 });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  // Found by a black-box attack: a resend refused for its channel spent the failed send, so the
  // call it paid for had to wait, while /verification-status offered it at once.
  it.each([
    ['a channel outside the fallback order', { channel: 'whatsapp' }, 400, 'unsupported_channel'],
    ['an email with none given at start', { channel: 'email' }, 400, 'invalid_request'],
  ])('a switch refused for %s spends nothing: the call still goes at once', async (_case, params, status, code) => {
    failedSms('undelivered');
    const refused = await run(resendHandler, { verification: H, ...params });
    expect([refused.status, refused.body.error?.code]).toEqual([status, code]);
    const res = await run(resendHandler, { verification: H, channel: 'call' });
    expect(res.status).toBe(200);
    expect(sent()).toEqual({ to: NUMBER, channel: 'call' });
  });

  it('a switch Verify refuses gives the failed send back: the next one goes at once', async () => {
    failedSms('undelivered');
    const accept = stub.onVerificationCreate;
    stub.onVerificationCreate = () => twilioError(503, 20503);
    expect((await run(resendHandler, { verification: H, channel: 'call' })).status).toBe(502);
    stub.onVerificationCreate = accept;
    expect((await run(resendHandler, { verification: H, channel: 'call' })).status).toBe(200);
    expect(stub.calls.verificationCreate).toHaveLength(2);
  });

  it("Verify's send cap still bounds the switches (60203)", async () => {
    failedSms('undelivered');
    stub.onVerificationCreate = () => twilioError(429, 60203);
    const res = await run(resendHandler, { verification: H, channel: 'call' });
    expect(res.status).toBe(429);
    expect(res.body.error?.code).toBe('max_send_attempts');
  });
});
