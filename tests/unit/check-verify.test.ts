import { handler } from '../../functions/check-verify';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, sealedHandle, stubContext, twilioError, type VerifyStub } from '../support/twilio-stub';

const check = handler as Handler;
const VE = `VE${'c'.repeat(32)}`;
let stub: VerifyStub;
let H: string;
beforeEach(async () => {
  stub = createVerifyStub();
  H = sealedHandle({ verificationSid: VE });
});

const call = (params: Record<string, unknown>, headers?: Record<string, string>, env: Record<string, string> = {}) =>
  invoke(check, params, { context: stubContext(stub, env), headers });
const BY_TO = { CHECK_BY_TO: 'true' };

describe('check-verify', () => {
  it('approved → 200 ok, and the code reaches Verify without spaces or dashes', async () => {
    stub.onCheckCreate = () => ({ sid: VE, status: 'approved', channel: 'sms' });
    const res = await call({ code: '123 456', verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'approved', to: '+1******2671', channel: 'sms' });
    expect(JSON.stringify(res.body)).not.toContain(VE);
    expect(stub.calls.checkCreate).toEqual([{ code: '123456', verificationSid: VE }]);
  });

  it.each([
    ['with CHECK_BY_TO=true', BY_TO],
    ['without it', {}],
  ])('refuses `to` beside `verification` (%s) instead of ignoring one of them', async (_label, env) => {
    const res = await call({ code: '123456', verification: H, to: '+14155550100' }, undefined, env);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
    expect(stub.calls.checkCreate).toHaveLength(0);
  });

  it('refuses `to` unless CHECK_BY_TO=true, without calling Verify', async () => {
    const res = await call({ code: '123456', to: '+14155552671' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
    expect(stub.calls.checkCreate).toHaveLength(0);
  });

  it('refuses the old `verificationSid` by name, pointing at `verification`', async () => {
    const res = await call({ code: '123456', verificationSid: VE });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_request',
      field: 'verificationSid',
      message: expect.stringContaining('`verification`'),
    });
  });

  it.each([
    ['tampered', () => H.slice(0, 20) + (H[20] === 'A' ? 'B' : 'A') + H.slice(21)],
    ['expired', () => sealedHandle({ verificationSid: VE, expiresAt: Date.now() - 1 })],
    ['for another service', () => sealedHandle({ verificationSid: VE, serviceSid: `VA${'9'.repeat(32)}` })],
    ['a bare Verify SID', () => VE],
  ])('a %s handle → 400 invalid_verification, Verify not called', async (_, make) => {
    const res = await call({ code: '123456', verification: await make() });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_verification', field: 'verification' });
    expect(stub.calls.checkCreate).toHaveLength(0);
  });

  it('checks by `to` (form-encoded + as space) with CHECK_BY_TO=true', async () => {
    const res = await call(
      { code: '12-34-56', to: ' 14155552671' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      BY_TO,
    );
    expect(res.status).toBe(200);
    expect(stub.calls.checkCreate).toEqual([{ code: '123456', to: '+14155552671' }]);
  });

  it('checks an email destination by `to`, normalised', async () => {
    await call({ code: '123456', to: ' A@Example.com' }, undefined, BY_TO);
    expect(stub.calls.checkCreate[0]).toEqual({ code: '123456', to: 'a@example.com' });
  });

  it('wrong code (Verify 200 pending) → 401 incorrect_code with status pending', async () => {
    stub.onCheckCreate = () => ({ sid: VE, status: 'pending', valid: false, channel: 'sms' });
    const res = await call({ code: '000000', verification: H });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ ok: false, status: 'pending', error: { code: 'incorrect_code', field: 'code' } });
  });

  it.each(['canceled', 'expired'])('a %s check is not a success', async (status) => {
    stub.onCheckCreate = () => ({ sid: VE, status, channel: 'sms' });
    const res = await call({ code: '123456', verification: H });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'verification_not_found' });
  });

  it("the 5th wrong code (max_attempts_reached) → 429 with the seconds until the window ends, on Verify's clock", async () => {
    const verifyNow = Date.now() + 5_000; // Verify's clock runs 5 s ahead of ours
    stub.lastHeaders = { date: new Date(verifyNow).toUTCString() };
    const handle = sealedHandle({ verificationSid: VE, expiresAt: verifyNow + 241_000 });
    stub.onCheckCreate = () => ({ sid: VE, status: 'max_attempts_reached', channel: 'sms' });
    const res = await call({ code: '123456', verification: handle });
    expect(res.status).toBe(429);
    // The same answer as the 6th (Verify's 60202), so support sees one lockout, not two.
    expect(res.body.error).toMatchObject({
      code: 'max_check_attempts',
      field: 'code',
      twilioCode: 60202,
      retryAfter: expect.any(Number),
    });
    // 241 s on Verify's clock, plus the second its whole-second dates can hide (never less).
    expect(res.body.error?.retryAfter).toBeGreaterThanOrEqual(242);
    expect(res.body.error?.retryAfter).toBeLessThanOrEqual(243);
    expect(res.headers['Retry-After']).toBe(String(res.body.error?.retryAfter));
  });

  it('gone (20404) → 404 verification_not_found', async () => {
    stub.onCheckCreate = () =>
      twilioError(404, 20404, 'The requested resource /Services/VA/VerificationCheck was not found');
    const res = await call({ code: '123456', verification: H });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'verification_not_found', twilioCode: 20404 });
  });

  it('60202 → 429 max_check_attempts with the wait', async () => {
    stub.onCheckCreate = () => twilioError(429, 60202, 'Max check attempts reached');
    const res = await call({ code: '123456', verification: H });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({
      code: 'max_check_attempts',
      field: 'code',
      twilioCode: 60202,
      retryAfter: expect.any(Number),
    });
    // The handle's window ends 600 s after it was sealed, a moment ago on this machine's clock.
    expect(Math.abs((res.body.error?.retryAfter as number) - 600)).toBeLessThanOrEqual(1);
  });

  it('60221 from Verify → 400 invalid_request', async () => {
    stub.onCheckCreate = () => twilioError(400, 60221, 'Either a To or VerificationSid must be specified');
    const res = await call({ code: '123456', verification: H });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', twilioCode: 60221 });
  });

  it.each([
    [{ verification: 'H' }, 'code'],
    [{ code: '12', verification: 'H' }, 'code'],
    [{ code: '12345678901', verification: 'H' }, 'code'],
    [{ code: '12$456', verification: 'H' }, 'code'],
    [{ code: 123456, verification: 'H' }, 'code'],
    [{ code: '123456' }, 'verification'],
    [{ code: '123456', verification: 'H', extra: '1' }, 'extra'],
    [{ code: '123456', to: '555' }, 'to'],
  ])('%j → 400 on %s, Verify not called', async (params, field) => {
    const res = await call({ ...params, ...('verification' in params ? { verification: H } : {}) }, undefined, BY_TO);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field });
    expect(stub.calls.checkCreate).toHaveLength(0);
  });

  it('never echoes the code or the full number, in the body or the logs', async () => {
    stub.onCheckCreate = () => ({ sid: VE, status: 'pending', channel: 'sms' });
    const res = await call({ code: '918273', to: '+14155552671' }, undefined, BY_TO);
    const text = JSON.stringify(res.body) + res.logs.join('\n');
    expect(text).not.toContain('918273');
    expect(text).not.toContain('4155552671');
  });
});
