import { handler as resendHandler } from '../../functions/resend-verify';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { handler as statusHandler } from '../../functions/verification-status';
import { invoke, type Handler } from '../support/invoke';
import { resetStatusPolls, STATUS_POLLS_PER_MINUTE } from '../../src/flows/status-poll-limit';
import { attempts, attemptsPage, createVerifyStub, sealedHandle, stubContext, twilioError, type VerifyStub } from '../support/twilio-stub';

const VE = `VE${'d'.repeat(32)}`;
const NUMBER = '+14155552671';
let stub: VerifyStub;
let H: string;
beforeEach(() => {
  resetStatusPolls();
  stub = createVerifyStub();
  H = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER });
});
/** What a send asked Verify for, without the rate-limit values (on by default, tested elsewhere). */
const sent = (i = 0) => {
  const { rateLimits: _metered, ...rest } = stub.calls.verificationCreate[i];
  return rest;
};

const run = (handler: unknown, params: Record<string, unknown>, env: Record<string, string> = {}) =>
  invoke(handler as Handler, params, { context: stubContext(stub, env) });

/** A pending SMS verification whose sends happened `secondsAgo` before Verify's "now". */
function pending(count: number, secondsAgo: number, channel = 'sms', now = Date.now()) {
  stub.lastHeaders = { date: new Date(now).toUTCString() };
  stub.onVerificationFetch = (p) =>
    String(p.sid).startsWith('VE')
      ? { sid: p.sid, to: NUMBER, channel, status: 'pending', dateCreated: new Date(now - 300_000), sendCodeAttempts: attempts(count, channel, now - secondsAgo * 1000) }
      : twilioError(404, 20404);
}

describe('resend-verify', () => {
  it('refuses an early resend with the exact wait, measured on Verify\'s clock', async () => {
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
    stub.onVerificationCreate = (p) => ({ sid: VE, to: p.to, channel: 'sms', status: 'pending', dateCreated: new Date(now - 31000), sendCodeAttempts: [...attempts(1, 'sms', now - 31000), ...attempts(1, String(p.channel), now)] });
    const res = await run(resendHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(sent()).toEqual({ to: NUMBER, channel: 'call' });
    // The same verification, created 31 s ago: its code works 569 s more, not a fresh 600.
    expect(res.body).toMatchObject({ ok: true, verification: expect.any(String), channel: 'call', sendCodeAttempts: 2, retryAfter: 40, expiresIn: 569, to: '+1******2671' });
    expect(JSON.stringify(res.body)).not.toContain(VE);
    // No email was offered, so the order (sms, call, email) has nowhere further to go.
    expect(res.body.nextChannel).toBeUndefined();
  });

  it('offers email next when the handle carries an address, and sends there with a new handle', async () => {
    pending(2, 3600, 'call');
    const withEmail = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, email: 'jane@example.com' });
    stub.onVerificationCreate = (p) => ({ sid: `VE${'e'.repeat(32)}`, to: p.to, channel: p.channel, status: 'pending', dateCreated: new Date(), sendCodeAttempts: attempts(1, 'email') });
    const res = await run(resendHandler, { verification: withEmail });
    expect(sent()).toEqual({ to: 'jane@example.com', channel: 'email' });
    expect(res.body).toMatchObject({ channel: 'email', to: 'j***@example.com', sendCodeAttempts: 1 });
    expect(res.body.verification).not.toBe(withEmail);
  });

  it('the email fallback waits for the email address\'s own cooldown too', async () => {
    const now = Date.now();
    stub.lastHeaders = { date: new Date(now).toUTCString() };
    stub.onVerificationFetch = (p) =>
      p.sid === VE
        ? { sid: VE, to: NUMBER, channel: 'call', status: 'pending', dateCreated: new Date(now - 300_000), sendCodeAttempts: attempts(2, 'call', now - 3600_000) }
        : { sid: `VE${'e'.repeat(32)}`, to: 'jane@example.com', channel: 'email', status: 'pending', dateCreated: new Date(now - 5000), sendCodeAttempts: attempts(1, 'email', now - 5000) };
    const res = await run(resendHandler, { verification: sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, email: 'jane@example.com' }) });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 25 });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('follows CHANNEL_FALLBACK and RESEND_COOLDOWNS from the environment', async () => {
    pending(1, 11);
    const res = await run(resendHandler, { verification: H }, { CHANNEL_FALLBACK: 'sms,whatsapp', RESEND_COOLDOWNS: '10,20' });
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
    const res = await run(resendHandler, 'verification' in params && params.verification === 'H' ? { ...params, verification: H } : params);
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
    const res = await run(resendHandler, { verification: sealedHandle({ verificationSid: VE, expiresAt: Date.now() + 120_000 }) });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'max_check_attempts', twilioCode: 60202 });
    // A resend takes no `code`: the error names no field it does not take.
    expect(res.body.error?.field).toBeUndefined();
    expect(Math.abs((res.body.error?.retryAfter as number) - 120)).toBeLessThanOrEqual(1);
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('when someone else sent since this handle, the new handle counts only this caller\'s new send', async () => {
    pending(2, 3600);
    stub.onVerificationCreate = (p) => ({ sid: VE, to: p.to, channel: 'sms', status: 'pending', sendCodeAttempts: [...attempts(2, 'sms', Date.now() - 3600_000), ...attempts(1, String(p.channel))] });
    const stale = sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, attemptOffset: 0, knownAttempts: 1 });
    const res = await run(resendHandler, { verification: stale });
    expect(res.status).toBe(200);
    expect(res.body.sendCodeAttempts).toBe(1);
    // Its status shows its new send only, not the other person's in between.
    pending(3, 5, 'call');
    const status = await run(statusHandler, { verification: res.body.verification });
    expect(status.body.attempts).toHaveLength(1);
    // And it made no longer every send, so it cannot cancel the shared code.
    expect((await run(cancelHandler, { verification: res.body.verification })).body).toEqual({ ok: true, status: 'pending' });
  });

  it('a malformed CHANNEL_FALLBACK is the operator\'s fault', async () => {
    pending(1, 3600);
    const res = await run(resendHandler, { verification: H }, { CHANNEL_FALLBACK: 'sms,pigeon' });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
  });
});

describe('cancel-verify', () => {
  it('cancels the handle\'s verification', async () => {
    const res = await run(cancelHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toEqual([{ sid: VE, status: 'canceled' }]);
  });

  it('no longer cancels by number: anyone knows a number, only the starter holds the handle', async () => {
    const res = await run(cancelHandler, { to: '(415) 555-2671', country: 'US' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('is idempotent: already gone answers canceled too', async () => {
    stub.onVerificationUpdate = () => twilioError(404, 20404);
    const res = await run(cancelHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
  });

  it('a caller who joined a pending verification cannot cancel it: the first person\'s code keeps working', async () => {
    pending(2, 10);
    const joined = sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 1, knownAttempts: 2 });
    const res = await run(cancelHandler, { verification: joined });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'pending' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('the first caller cannot cancel once someone else has sent to the same destination', async () => {
    pending(2, 10);
    const first = sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 0, knownAttempts: 1 });
    const res = await run(cancelHandler, { verification: first });
    expect(res.body).toEqual({ ok: true, status: 'pending' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('the only sender cancels, however many codes it asked for', async () => {
    pending(3, 10);
    const res = await run(cancelHandler, { verification: sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 0, knownAttempts: 3 }) });
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toEqual([{ sid: VE, status: 'canceled' }]);
  });

  it('already gone when fetched also answers canceled', async () => {
    stub.onVerificationFetch = () => twilioError(404, 20404);
    const res = await run(cancelHandler, { verification: H });
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('other Verify errors still surface', async () => {
    stub.onVerificationUpdate = () => twilioError(503, 20503);
    const res = await run(cancelHandler, { verification: H });
    expect(res.status).toBe(502);
  });
});

describe('verification-status', () => {
  it('lists attempts (channel, time) and the resend schedule, masking the number', async () => {
    pending(2, 10, 'sms');
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 'pending', to: '+1******2671', retryAfter: 30, nextChannel: 'call' });
    expect(res.body.sid).toBeUndefined();
    expect(res.body.attempts).toEqual([
      { channel: 'sms', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), delivery: 'unknown' },
      { channel: 'sms', time: expect.any(String), delivery: 'unknown' },
    ]);
    expect(JSON.stringify(res.body) + res.logs.join('')).not.toContain('4155552671');
  });

  it('shows a later caller only its own sends (the handle\'s attempt offset)', async () => {
    pending(3, 10, 'sms');
    const res = await run(statusHandler, { verification: sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 2 }) });
    expect(res.body.attempts).toHaveLength(1);
  });

  it('shows the first caller none of the sends made after its handle (their times and channels are someone else\'s)', async () => {
    pending(3, 10, 'call');
    const res = await run(statusHandler, { verification: sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 0, knownAttempts: 1 }) });
    expect(res.body.attempts).toHaveLength(1);
    // The destination-wide schedule still counts every send: 3 sends, so the third cooldown (60 s).
    expect(res.body.retryAfter).toBe(50);
  });

  /** Verify's Attempts API reports these statuses for the pending verification's sends, in order. */
  function delivered(statuses: string[], count = statuses.length, channel = 'sms', secondsAgo = 10) {
    const now = Date.now();
    pending(count, secondsAgo, channel, now);
    const sends = attempts(count, channel, now - secondsAgo * 1000);
    stub.onRequest = (uri) => (new URL(uri).searchParams.get('VerificationSid') === VE ? attemptsPage(VE, sends, statuses) : { attempts: [], meta: {} });
  }

  it.each([
    ['queued', 'queued'], ['sending', 'queued'], ['sent', 'sent'], ['delivered', 'delivered'],
    ['undelivered', 'undelivered'], ['failed', 'failed'],
  ])('an SMS whose message status is %s reads as %s', async (status, state) => {
    delivered([status]);
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toBe(state);
    expect(res.body.attempts).toEqual([expect.objectContaining({ channel: 'sms', delivery: state })]);
    // The Attempts API was asked for this verification only.
    expect(stub.requests).toHaveLength(1);
    expect(new URL(stub.requests[0]).searchParams.get('VerificationSid')).toBe(VE);
  });

  it.each([
    ['completed', 'completed'], ['no-answer', 'no-answer'], ['busy', 'busy'], ['failed', 'failed'], ['ringing', 'calling'],
  ])('a call whose status is %s reads as %s', async (status, state) => {
    delivered([status], 1, 'call');
    const res = await run(statusHandler, { verification: H });
    expect(res.body.attempts).toEqual([expect.objectContaining({ channel: 'call', delivery: state })]);
  });

  it('an undelivered SMS offers a call at once, while another SMS keeps its cooldown', async () => {
    delivered(['undelivered']);
    const res = await run(statusHandler, { verification: H });
    expect(res.body).toMatchObject({ delivery: 'undelivered', retryAfter: 20, nextChannel: 'call', nextChannelRetryAfter: 0 });
  });

  it('a delivered SMS offers the call only after the cooldown', async () => {
    delivered(['delivered']);
    const res = await run(statusHandler, { verification: H });
    expect(res.body).toMatchObject({ delivery: 'delivered', retryAfter: 20, nextChannel: 'call', nextChannelRetryAfter: 20 });
  });

  it('a failed send of another caller does not count for this one', async () => {
    delivered(['delivered', 'undelivered'], 2);
    const res = await run(statusHandler, { verification: sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, attemptOffset: 2 }) });
    expect(res.body.attempts).toEqual([]);
    expect(res.body.nextChannelRetryAfter).not.toBe(0);
    const first = await run(statusHandler, { verification: sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, attemptOffset: 0, knownAttempts: 1 }) });
    expect((first.body.attempts as Array<{ delivery: string }>).map((a) => a.delivery)).toEqual(['delivered']);
    expect(first.body.nextChannelRetryAfter).not.toBe(0);
  });

  it('an Attempts API error is a JSON error, not a 500', async () => {
    pending(1, 10);
    stub.onRequest = () => twilioError(503, 20503);
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(502);
    expect(res.body.error?.code).toBe('verify_unavailable');
  });

  it(`polling one verification more than ${STATUS_POLLS_PER_MINUTE} times a minute is 429 rate_limited before Verify is asked`, async () => {
    delivered(['sent']);
    for (let i = 0; i < STATUS_POLLS_PER_MINUTE; i += 1) expect((await run(statusHandler, { verification: H })).status).toBe(200);
    const asked = stub.requests.length;
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'rate_limited', retryAfter: expect.any(Number) });
    expect(res.body.error?.retryAfter).toBeGreaterThan(0);
    expect(res.body.error?.retryAfter).toBeLessThanOrEqual(60);
    expect(stub.requests).toHaveLength(asked);
    // Another verification is not held back.
    const other = sealedHandle({ verificationSid: `VE${'f'.repeat(32)}`, to: NUMBER, phone: NUMBER });
    expect((await run(statusHandler, { verification: other })).status).toBe(200);
  });
});

describe('resend-verify after a send that did not arrive', () => {
  function failedSms(status: string, secondsAgo = 10) {
    const now = Date.now();
    pending(1, secondsAgo, 'sms', now);
    const sends = attempts(1, 'sms', now - secondsAgo * 1000);
    stub.onRequest = () => attemptsPage(VE, sends, [status]);
    stub.onVerificationCreate = (p) => ({ sid: VE, to: p.to, channel: 'sms', status: 'pending', sendCodeAttempts: [...sends, ...attempts(1, String(p.channel))] });
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

  it('another caller\'s failed send does not let this caller skip the cooldown', async () => {
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

  it('Verify\'s send cap still bounds the switches (60203)', async () => {
    failedSms('undelivered');
    stub.onVerificationCreate = () => twilioError(429, 60203);
    const res = await run(resendHandler, { verification: H, channel: 'call' });
    expect(res.status).toBe(429);
    expect(res.body.error?.code).toBe('max_send_attempts');
  });
});
