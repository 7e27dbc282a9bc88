import { handler } from '../../functions/check-verify';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, stubContext, twilioError, type VerifyStub } from '../support/twilio-stub';

const check = handler as Handler;
const VE = `VE${'c'.repeat(32)}`;
let stub: VerifyStub;
beforeEach(() => {
  stub = createVerifyStub();
});

const call = (params: Record<string, unknown>, headers?: Record<string, string>) =>
  invoke(check, params, { context: stubContext(stub), headers });

describe('check-verify', () => {
  it('approved → 200 ok, and the code reaches Verify without spaces or dashes', async () => {
    stub.onCheckCreate = () => ({ sid: VE, status: 'approved', channel: 'sms' });
    const res = await call({ code: '123 456', verificationSid: VE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'approved', sid: VE, channel: 'sms' });
    expect(stub.calls.checkCreate).toEqual([{ code: '123456', verificationSid: VE }]);
  });

  it('checks by `to` (form-encoded + as space) when no verificationSid is given', async () => {
    const res = await call({ code: '12-34-56', to: ' 14155552671' }, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(stub.calls.checkCreate).toEqual([{ code: '123456', to: '+14155552671' }]);
  });

  it('checks an email destination by `to`', async () => {
    await call({ code: '123456', to: 'a@example.com' });
    expect(stub.calls.checkCreate[0]).toEqual({ code: '123456', to: 'a@example.com' });
  });

  it('wrong code (Verify 200 pending) → 401 incorrect_code with status pending', async () => {
    stub.onCheckCreate = () => ({ sid: VE, status: 'pending', valid: false, channel: 'sms' });
    const res = await call({ code: '000000', verificationSid: VE });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ ok: false, status: 'pending', error: { code: 'incorrect_code', field: 'code' } });
  });

  it.each(['canceled', 'expired', 'max_attempts_reached'])('a %s check is not a success', async (status) => {
    stub.onCheckCreate = () => ({ sid: VE, status, channel: 'sms' });
    const res = await call({ code: '123456', verificationSid: VE });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'verification_not_found' });
  });

  it('gone (20404) → 404 verification_not_found', async () => {
    stub.onCheckCreate = () => twilioError(404, 20404, 'The requested resource /Services/VA/VerificationCheck was not found');
    const res = await call({ code: '123456', to: '+14155552671' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'verification_not_found', twilioCode: 20404 });
  });

  it('60202 → 429 max_check_attempts', async () => {
    stub.onCheckCreate = () => twilioError(429, 60202, 'Max check attempts reached');
    const res = await call({ code: '123456', verificationSid: VE });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'max_check_attempts', twilioCode: 60202 });
  });

  it('60221 from Verify → 400 invalid_request', async () => {
    stub.onCheckCreate = () => twilioError(400, 60221, 'Either a To or VerificationSid must be specified');
    const res = await call({ code: '123456', verificationSid: VE });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', twilioCode: 60221 });
  });

  it.each([
    [{ verificationSid: VE }, 'code'],
    [{ code: '12', verificationSid: VE }, 'code'],
    [{ code: '12345678901', verificationSid: VE }, 'code'],
    [{ code: '12$456', verificationSid: VE }, 'code'],
    [{ code: 123456, verificationSid: VE }, 'code'],
    [{ code: '123456' }, 'to'],
    [{ code: '123456', verificationSid: 'VE123' }, 'verificationSid'],
    [{ code: '123456', to: '555' }, 'to'],
  ])('%j → 400 on %s, Verify not called', async (params, field) => {
    const res = await call(params);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field });
    expect(stub.calls.checkCreate).toHaveLength(0);
  });

  it('never echoes the code or the full number, in the body or the logs', async () => {
    stub.onCheckCreate = () => ({ sid: VE, status: 'pending', channel: 'sms' });
    const res = await call({ code: '918273', to: '+14155552671' });
    const text = JSON.stringify(res.body) + res.logs.join('\n');
    expect(text).not.toContain('918273');
    expect(text).not.toContain('4155552671');
  });
});
