// The functions driving the real twilio SDK against the emulator in-process: Verify's
// lifecycle as a caller of our API sees it, without sockets or sleeping.
import { describeRateLimit } from '../../src/domain/rate-limits';
import twilio from 'twilio';
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as createServiceHandler } from '../../functions/create-service';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID, type Emulator } from '../../emulator';
import { invoke, type Handler } from '../support/invoke';
import { createProjectEmulator, stateFor } from '../support/project-emulator';

const TO = '+14155552671';
let emulator: Emulator;

function context(env: Record<string, string> = {}) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    ADMIN_TOKEN: 'admin-secret',
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    ...env,
    ...stateFor(emulator),
    getTwilioClient: () =>
      twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient as never }),
  };
}
const start = (params: Record<string, unknown>) => invoke(startHandler as Handler, params, { context: context() });
const check = (params: Record<string, unknown>, env: Record<string, string> = {}) =>
  invoke(checkHandler as Handler, params, { context: context(env) });
const lastCode = (to = TO) => {
  const messages = emulator.messages({ to });
  return messages[messages.length - 1].code;
};
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

beforeEach(() => {
  emulator = createProjectEmulator();
});

describe('functions + emulator', () => {
  it('send → code delivered → check approves; the code appears nowhere in our responses', async () => {
    const sent = await start({ to: TO });
    expect(sent.status).toBe(200);
    const code = lastCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(sent.body) + sent.logs.join('')).not.toContain(code);
    const checked = await check({ code, verification: sent.body.verification });
    expect(checked.status).toBe(200);
    expect(checked.body).toEqual({ ok: true, status: 'approved', to: '+1******2671', channel: 'sms' });
    // Neither the Verify SID nor the number is in any answer.
    const sid = emulator.messages({ to: TO })[0].verificationSid;
    expect(JSON.stringify([sent.body, checked.body])).not.toContain(sid);
    expect(JSON.stringify([sent.body, checked.body])).not.toContain('4155552671');
  });

  it('wrong code then right code', async () => {
    const { verification } = (await start({ to: TO })).body;
    const code = lastCode();
    const bad = await check({ code: wrong(code), verification });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ status: 'pending', error: { code: 'incorrect_code' } });
    expect((await check({ code, verification })).status).toBe(200);
  });

  it('checking by `to` needs CHECK_BY_TO=true', async () => {
    await start({ to: TO });
    const code = lastCode();
    expect((await check({ code, to: TO })).body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
    expect((await check({ code, to: TO }, { CHECK_BY_TO: 'true' })).status).toBe(200);
  });

  it('an approved code cannot be used twice', async () => {
    const sent = await start({ to: TO });
    const code = lastCode();
    expect((await check({ code, verification: sent.body.verification })).status).toBe(200);
    const again = await check({ code, verification: sent.body.verification });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'verification_not_found', twilioCode: 20404 });
  });

  it('starting again waits for the cooldown and replaces the code; the 6th send in 10 minutes is max_send_attempts', async () => {
    const first = await start({ to: TO });
    const code = lastCode();
    const early = await start({ to: TO, channel: 'voice' });
    expect(early.status).toBe(429);
    expect(early.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 30 });
    emulator.advanceClock(30);
    const second = await start({ to: TO, channel: 'voice' });
    // Another start is another caller as far as we can tell: a new code with its own window.
    expect(second.body).toMatchObject({ ok: true, sendCodeAttempts: 1, retryAfter: 40, expiresIn: 600 });
    const sids = emulator.messages({ to: TO }).map((m) => m.verificationSid);
    expect(sids[1]).not.toBe(sids[0]);
    expect(lastCode()).not.toBe(code);
    expect((await check({ code, verification: first.body.verification })).status).toBe(404);
    for (const wait of [40, 60, 90]) {
      emulator.advanceClock(wait);
      expect((await start({ to: TO })).status).toBe(200);
    }
    emulator.advanceClock(120);
    const sixth = await start({ to: TO });
    expect(sixth.status).toBe(429);
    // The destination's cap (Sync), before Verify: until the first send is 10 minutes old.
    // This emulator's clock follows the wall clock, so a second may turn while the test runs.
    expect(sixth.body.error?.code).toBe('max_send_attempts');
    expect([259, 260]).toContain(sixth.body.error?.retryAfter);
    expect(Number(sixth.headers['Retry-After'])).toBe(sixth.body.error?.retryAfter);
  });

  it('5 wrong codes end the verification: max_check_attempts, then the right code no longer works', async () => {
    const sent = await start({ to: TO });
    const code = lastCode();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await check({ code: wrong(code), verification: sent.body.verification })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const after = await check({ code, verification: sent.body.verification });
    expect(after.status).toBe(429);
    expect(after.body.error).toMatchObject({ code: 'max_check_attempts', retryAfter: expect.any(Number) });
  });

  it('a start that learns of a lockout from Verify states when its window ends, never a fresh 10 minutes', async () => {
    // Locked out by checks this project did not see (another app on the Service, or a lockout
    // the store failed to keep): only Verify's 60202 tells the start. The destination's latest
    // recorded send opened the locked verification, so it ends 10 minutes after it.
    await start({ to: TO });
    const sid = emulator.messages({ to: TO })[0].verificationSid;
    const verify = context().getTwilioClient().verify.v2.services(EMULATOR_SERVICE_SID);
    for (let i = 0; i < 5; i++)
      await verify.verificationChecks.create({ verificationSid: sid, code: wrong(lastCode()) }).catch(() => undefined);
    emulator.advanceClock(300);
    const refused = await start({ to: TO });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'max_check_attempts', twilioCode: 60202 });
    const wait = refused.body.error?.retryAfter as number;
    // 300 s are left, plus the bound's allowance for the time a send takes to reach Verify.
    expect(wait).toBeGreaterThanOrEqual(300);
    expect(wait).toBeLessThanOrEqual(311);
    // The record keeps that wait: a start during it is refused without asking Verify again.
    emulator.advanceClock(wait - 1);
    expect((await start({ to: TO })).body.error).toMatchObject({ code: 'max_check_attempts', retryAfter: 1 });
    emulator.advanceClock(1);
    expect((await start({ to: TO })).status).toBe(200);
  });

  it('a code expires after 10 minutes', async () => {
    const sent = await start({ to: TO });
    const code = lastCode();
    emulator.advanceClock(601);
    const late = await check({ code, verification: sent.body.verification });
    expect(late.status).toBe(404);
    expect(late.body.error).toMatchObject({ code: 'verification_not_found' });
  });

  it('email channel delivers to the address', async () => {
    const sent = await start({ to: 'Jane@Example.com', channel: 'email' });
    expect(sent.status).toBe(200);
    const code = lastCode('jane@example.com');
    expect((await check({ code, verification: sent.body.verification })).status).toBe(200);
  });

  it('create-service is idempotent on friendlyName against Verify', async () => {
    const call = () =>
      invoke(
        createServiceHandler as Handler,
        { friendlyName: 'Shop login', codeLength: 8 },
        {
          context: context(),
          headers: { 'content-type': 'application/json', authorization: 'Bearer admin-secret' },
        },
      );
    const first = await call();
    const second = await call();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: false, sid: first.body.sid, codeLength: 8 });
  });

  it("a service without this project's rate limits is server_misconfigured naming the fix, never a silent pass", async () => {
    const created = await invoke(
      createServiceHandler as Handler,
      { friendlyName: 'Bare' },
      {
        context: context(),
        headers: { 'content-type': 'application/json', authorization: 'Bearer admin-secret' },
      },
    );
    // A service made elsewhere (the Console) has no rate limits: delete what /create-service made.
    const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient as never });
    const service = client.verify.v2.services(String(created.body.sid));
    for (const rl of await service.rateLimits.list()) await service.rateLimits(rl.sid).remove();
    const res = await invoke(
      startHandler as Handler,
      { to: TO },
      { context: context({ VERIFY_SERVICE_SID: String(created.body.sid) }) },
    );
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({
      code: 'server_misconfigured',
      twilioCode: 60200,
      message: expect.stringContaining('/create-service'),
    });
    expect(emulator.messages({ to: TO })).toHaveLength(0);
  });

  it('the guess budget per destination: at most 10 verifications an hour and 40 a day, cancel or not, waiting out every cooldown (≤ 50 / 200 wrong codes)', async () => {
    const cancel = (verification: string) => invoke(cancelHandler as Handler, { verification }, { context: context() });
    let opened = 0;
    let wrongCodes = 0;
    const openedPerHour: number[] = [];
    for (let hour = 0; hour < 24; hour++) {
      let thisHour = 0;
      let elapsed = 0;
      for (let attempt = 0; attempt < 40 && elapsed < 3600; attempt++) {
        const sent = await start({ to: TO });
        if (sent.status !== 200) {
          const error = sent.body.error as { code: string; retryAfter: number };
          if (error.code === 'rate_limited') {
            // The error names the limit that refused and what it allows (Twilio-Reached-Rate-Limit).
            expect(sent.body.error).toMatchObject({
              code: 'rate_limited',
              twilioCode: 20429,
              field: 'to',
              message: expect.stringContaining(describeRateLimit('destination')),
            });
            break;
          }
          // The cooldown or the 10-minute cap: the attacker waits exactly as long as told.
          expect(['resend_too_soon', 'max_send_attempts']).toContain(error.code);
          emulator.advanceClock(error.retryAfter);
          elapsed += error.retryAfter;
          continue;
        }
        thisHour++;
        const code = lastCode();
        for (let i = 0; i < 4; i++)
          if ((await check({ code: wrong(code), verification: sent.body.verification })).status === 401) wrongCodes++;
        await cancel(String(sent.body.verification));
      }
      opened += thisHour;
      openedPerHour.push(thisHour);
      emulator.advanceClock(3600 - Math.min(elapsed, 3600));
    }
    expect(Math.max(...openedPerHour)).toBe(10);
    expect(opened).toBe(40);
    expect(wrongCodes).toBeLessThanOrEqual(200);
  });

  it('with VERIFY_RATE_LIMITS on, a pumping run through one number range hits 20429 with Retry-After', async () => {
    const created = await invoke(
      createServiceHandler as Handler,
      { friendlyName: 'Metered' },
      {
        context: context(),
        headers: { 'content-type': 'application/json', authorization: 'Bearer admin-secret' },
      },
    );
    const env = { VERIFY_SERVICE_SID: String(created.body.sid) };
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 11; i++) {
      last = await invoke(
        startHandler as Handler,
        { to: `+1415555${(2600 + i).toString()}` },
        { context: context(env) },
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(last?.status).toBe(429);
    expect(last?.body.error).toMatchObject({
      code: 'rate_limited',
      twilioCode: 20429,
      retryAfter: expect.any(Number),
      field: 'to',
    });
    expect(last?.body.error?.message).toBe(
      `Too many codes were sent to numbers that share this one’s prefix: the Verify Service's rate limit ${describeRateLimit('phone_prefix')}.`,
    );
    // The header and the body say the same wait.
    expect(Number(last?.headers['Retry-After'])).toBe(last?.body.error?.retryAfter);
    expect(last?.body.error?.retryAfter).toBeGreaterThan(0);
  });

  it('the clientKey limit names `clientKey`, so an app knows it is its own key that was metered', async () => {
    const statuses: number[] = [];
    let last;
    // Numbers in different ranges: only the client key is shared.
    for (let i = 0; i < 6; i++) {
      last = await start({
        to: `+1${['415', '212', '312', '617', '206', '305'][i]}555${(2600 + i).toString()}`,
        clientKey: 'device-1',
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.body.error).toMatchObject({
      code: 'rate_limited',
      field: 'clientKey',
      message: expect.stringContaining(describeRateLimit('client_key')),
    });
  });

  it('wrong credentials reach Verify as 20003 and come back as server_misconfigured', async () => {
    const ctx = {
      ...context(),
      getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, 'f'.repeat(32), { httpClient: emulator.httpClient as never }),
    };
    const res = await invoke(startHandler as Handler, { to: TO }, { context: ctx });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured', twilioCode: 20003 });
  });
});
