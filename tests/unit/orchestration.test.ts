import { handler as resendHandler } from '../../functions/resend-verify';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { handler as statusHandler } from '../../functions/verification-status';
import { invoke, type Handler } from '../support/invoke';
import { attempts, createVerifyStub, stubContext, twilioError, type VerifyStub } from '../support/twilio-stub';

const VE = `VE${'d'.repeat(32)}`;
const NUMBER = '+14155552671';
let stub: VerifyStub;
beforeEach(() => {
  stub = createVerifyStub();
});

const run = (handler: unknown, params: Record<string, unknown>, env: Record<string, string> = {}) =>
  invoke(handler as Handler, params, { context: stubContext(stub, env) });

/** A pending SMS verification whose sends happened `secondsAgo` before Verify's "now". */
function pending(count: number, secondsAgo: number, channel = 'sms', now = Date.now()) {
  stub.lastHeaders = { date: new Date(now).toUTCString() };
  stub.onVerificationFetch = (p) => ({ sid: p.sid, to: NUMBER, channel, status: 'pending', sendCodeAttempts: attempts(count, channel, now - secondsAgo * 1000) });
}

describe('resend-verify', () => {
  it('refuses an early resend with the exact wait, measured on Verify\'s clock', async () => {
    // Verify's Date header says 25 s after the last send, whatever our own clock says.
    pending(1, 25, 'sms', Date.parse('2030-01-01T00:00:25Z'));
    const res = await run(resendHandler, { verificationSid: VE });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 5 });
    expect(res.headers['Retry-After']).toBe('5');
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('after the cooldown, sends on the next channel of the order with the next cooldown', async () => {
    pending(1, 31);
    stub.onVerificationCreate = (p) => ({ sid: VE, to: p.to, channel: 'sms', status: 'pending', sendCodeAttempts: [...attempts(1, 'sms', Date.now() - 31000), ...attempts(1, String(p.channel))] });
    const res = await run(resendHandler, { verificationSid: VE });
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0]).toEqual({ to: NUMBER, channel: 'call' });
    expect(res.body).toMatchObject({ ok: true, sid: VE, channel: 'call', sendCodeAttempts: 2, retryAfter: 40, to: '+1******2671' });
    // No email was offered, so the order (sms, call, email) has nowhere further to go.
    expect(res.body.nextChannel).toBeUndefined();
  });

  it('offers email next when the person gave an address, and sends there on request', async () => {
    pending(2, 3600, 'call');
    stub.onVerificationCreate = (p) => ({ sid: `VE${'e'.repeat(32)}`, to: p.to, channel: p.channel, status: 'pending', sendCodeAttempts: attempts(1, 'email') });
    const res = await run(resendHandler, { verificationSid: VE, email: 'jane@example.com' });
    expect(stub.calls.verificationCreate[0]).toEqual({ to: 'jane@example.com', channel: 'email' });
    expect(res.body).toMatchObject({ sid: `VE${'e'.repeat(32)}`, channel: 'email', to: 'j***@example.com' });
  });

  it('follows CHANNEL_FALLBACK and RESEND_COOLDOWNS from the environment', async () => {
    pending(1, 11);
    const res = await run(resendHandler, { verificationSid: VE }, { CHANNEL_FALLBACK: 'sms,whatsapp', RESEND_COOLDOWNS: '10,20' });
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0]).toEqual({ to: NUMBER, channel: 'whatsapp' });
  });

  it.each([
    [{ verificationSid: VE, channel: 'email' }, 400, 'invalid_request', 'email'],
    [{ verificationSid: VE, channel: 'rcs' }, 400, 'unsupported_channel', 'channel'],
    [{ verificationSid: 'VE1' }, 400, 'invalid_request', 'verificationSid'],
    [{}, 400, 'invalid_request', 'verificationSid'],
  ])('%j → %i %s', async (params, status, code, field) => {
    pending(1, 3600);
    const res = await run(resendHandler, params);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, field });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it('a finished verification is not found', async () => {
    stub.onVerificationFetch = () => twilioError(404, 20404);
    const res = await run(resendHandler, { verificationSid: VE });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'verification_not_found' });
  });

  it('a malformed CHANNEL_FALLBACK is the operator\'s fault', async () => {
    pending(1, 3600);
    const res = await run(resendHandler, { verificationSid: VE }, { CHANNEL_FALLBACK: 'sms,pigeon' });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
  });
});

describe('cancel-verify', () => {
  it('cancels by SID', async () => {
    const res = await run(cancelHandler, { verificationSid: VE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toEqual([{ sid: VE, status: 'canceled' }]);
  });

  it('cancels by number (Verify addresses the pending verification by its To)', async () => {
    await run(cancelHandler, { to: '(415) 555-2671', country: 'US' });
    expect(stub.calls.verificationUpdate).toEqual([{ sid: NUMBER, status: 'canceled' }]);
  });

  it('is idempotent: already gone answers canceled too', async () => {
    stub.onVerificationUpdate = () => twilioError(404, 20404);
    const res = await run(cancelHandler, { verificationSid: VE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
  });

  it('other Verify errors still surface', async () => {
    stub.onVerificationUpdate = () => twilioError(503, 20503);
    const res = await run(cancelHandler, { verificationSid: VE });
    expect(res.status).toBe(502);
  });
});

describe('verification-status', () => {
  it('lists attempts (channel, time) and the resend schedule, masking the number', async () => {
    pending(2, 10, 'sms');
    const res = await run(statusHandler, { verificationSid: VE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, sid: VE, status: 'pending', to: '+1******2671', retryAfter: 30, nextChannel: 'call' });
    expect(res.body.attempts).toEqual([
      { channel: 'sms', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
      { channel: 'sms', time: expect.any(String) },
    ]);
    expect(JSON.stringify(res.body) + res.logs.join('')).not.toContain('4155552671');
  });
});
