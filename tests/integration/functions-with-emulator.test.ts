// The functions driving the real twilio SDK against the emulator in-process: Verify's
// lifecycle as a caller of our API sees it, without sockets or sleeping.
import twilio from 'twilio';
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as createServiceHandler } from '../../functions/create-service';
import { createEmulator, EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID, type Emulator } from '../../emulator';
import { invoke, type Handler } from '../support/invoke';

const TO = '+14155552671';
let emulator: Emulator;

function context(env: Record<string, string> = {}) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    ADMIN_TOKEN: 'admin-secret',
    ...env,
    getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient as never }),
  };
}
const start = (params: Record<string, unknown>) => invoke(startHandler as Handler, params, { context: context() });
const check = (params: Record<string, unknown>) => invoke(checkHandler as Handler, params, { context: context() });
const lastCode = (to = TO) => {
  const messages = emulator.messages({ to });
  return messages[messages.length - 1].code;
};
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

beforeEach(() => {
  emulator = createEmulator();
});

describe('functions + emulator', () => {
  it('send → code delivered → check approves; the code appears nowhere in our responses', async () => {
    const sent = await start({ to: TO });
    expect(sent.status).toBe(200);
    const code = lastCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(sent.body) + sent.logs.join('')).not.toContain(code);
    const checked = await check({ code, verificationSid: sent.body.sid });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ ok: true, status: 'approved', sid: sent.body.sid });
  });

  it('wrong code then right code', async () => {
    await start({ to: TO });
    const code = lastCode();
    const bad = await check({ code: wrong(code), to: TO });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ status: 'pending', error: { code: 'incorrect_code' } });
    expect((await check({ code, to: TO })).status).toBe(200);
  });

  it('an approved code cannot be used twice', async () => {
    const sent = await start({ to: TO });
    const code = lastCode();
    expect((await check({ code, verificationSid: sent.body.sid })).status).toBe(200);
    const again = await check({ code, verificationSid: sent.body.sid });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'verification_not_found', twilioCode: 20404 });
  });

  it('resend keeps the verification and the code; the 6th send is max_send_attempts', async () => {
    const first = await start({ to: TO });
    const code = lastCode();
    const second = await start({ to: TO, channel: 'voice' });
    expect(second.body).toMatchObject({ sid: first.body.sid, sendCodeAttempts: 2 });
    expect(lastCode()).toBe(code);
    for (let i = 3; i <= 5; i++) expect((await start({ to: TO })).body.sendCodeAttempts).toBe(i);
    const sixth = await start({ to: TO });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toMatchObject({ code: 'max_send_attempts', twilioCode: 60203 });
  });

  it('5 wrong codes end the verification: max_check_attempts, then the right code no longer works', async () => {
    const sent = await start({ to: TO });
    const code = lastCode();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await check({ code: wrong(code), verificationSid: sent.body.sid })).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    const after = await check({ code, verificationSid: sent.body.sid });
    expect([404, 429]).toContain(after.status);
    expect(statuses.concat(after.status)).toContain(429);
  });

  it('a code expires after 10 minutes', async () => {
    const sent = await start({ to: TO });
    const code = lastCode();
    emulator.advanceClock(601);
    const late = await check({ code, verificationSid: sent.body.sid });
    expect(late.status).toBe(404);
    expect(late.body.error).toMatchObject({ code: 'verification_not_found' });
  });

  it('email channel delivers to the address', async () => {
    const sent = await start({ to: 'jane@example.com', channel: 'email' });
    expect(sent.status).toBe(200);
    const code = lastCode('jane@example.com');
    expect((await check({ code, to: 'jane@example.com' })).status).toBe(200);
  });

  it('create-service is idempotent on friendlyName against Verify', async () => {
    const call = () =>
      invoke(createServiceHandler as Handler, { friendlyName: 'Shop login', codeLength: 8 }, {
        context: context(),
        headers: { 'content-type': 'application/json', authorization: 'Bearer admin-secret' },
      });
    const first = await call();
    const second = await call();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: false, sid: first.body.sid, codeLength: 8 });
  });

  it('with VERIFY_RATE_LIMITS on, a pumping run through one number range hits 20429 with Retry-After', async () => {
    const created = await invoke(createServiceHandler as Handler, { friendlyName: 'Metered' }, {
      context: context(),
      headers: { 'content-type': 'application/json', authorization: 'Bearer admin-secret' },
    });
    const env = { VERIFY_SERVICE_SID: String(created.body.sid), VERIFY_RATE_LIMITS: 'true' };
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 11; i++) {
      last = await invoke(startHandler as Handler, { to: `+1415555${(2600 + i).toString()}` }, { context: context(env) });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(last?.status).toBe(429);
    expect(last?.body.error).toMatchObject({ code: 'rate_limited', twilioCode: 20429, retryAfter: expect.any(Number) });
    expect(Number(last?.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('wrong credentials reach Verify as 20003 and come back as server_misconfigured', async () => {
    const ctx = { ...context(), getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, 'f'.repeat(32), { httpClient: emulator.httpClient as never }) };
    const res = await invoke(startHandler as Handler, { to: TO }, { context: ctx });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured', twilioCode: 20003 });
  });
});
