import { handler } from '../../functions/start-verify';
import { invoke, type Handler } from '../support/invoke';
import {
  attempts,
  createVerifyStub,
  networkError,
  SERVICE_SID,
  stubContext,
  twilioError,
  type VerifyStub,
} from '../support/twilio-stub';

const start = handler as Handler;
const NUMBER = '+14155552671';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let stub: VerifyStub;
beforeEach(() => {
  stub = createVerifyStub();
});

function call(
  params: Record<string, unknown>,
  env: Record<string, string | undefined> = {},
  headers?: Record<string, string>,
) {
  return invoke(start, params, { context: stubContext(stub, env), headers });
}

describe('start-verify: success', () => {
  it('sends an SMS by default to the E.164 number and answers with a masked destination', async () => {
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(res.body).toEqual({
      ok: true,
      verification: expect.stringMatching(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_.-]{100,}$/),
      to: '+1******2671',
      channel: 'sms',
      status: 'pending',
      sendCodeAttempts: 1,
      retryAfter: 30,
      // A new verification: the code's whole 10 minutes are ahead.
      expiresIn: 600,
      nextChannel: 'call',
    });
    expect(stub.calls.verificationCreate).toEqual([
      { to: NUMBER, channel: 'sms', rateLimits: { destination: NUMBER, phone_prefix: '+1415555' } },
    ]);
    expect(stub.calls.serviceSids.every((sid) => sid === SERVICE_SID)).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/VE[0-9a-f]{32}/);
  });

  it('reads a form-encoded + that arrived as a space', async () => {
    const res = await call({ to: ' 14155552671' }, {}, FORM);
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0].to).toBe(NUMBER);
  });

  it('accepts a national number with a country', async () => {
    const res = await call({ to: '07400 123456', country: 'gb' }, { ALLOWED_COUNTRIES: 'US,GB' }, FORM);
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0].to).toBe('+447400123456');
    expect(res.body.to).toBe('+44******3456');
  });

  it("sends `voice` as Verify's `call`, and passes a supported locale", async () => {
    const res = await call({ to: NUMBER, channel: 'Voice', locale: 'pt_br' });
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0]).toMatchObject({ to: NUMBER, channel: 'call', locale: 'pt-BR' });
    expect(res.body.channel).toBe('call');
  });

  it.each(['whatsapp', 'rcs', 'call', 'sms'])('sends on channel %s', async (channel) => {
    const res = await call({ to: NUMBER, channel });
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0].channel).toBe(channel);
  });

  it('sends email to an address, trimmed and lower-cased, and masks it without its length', async () => {
    const res = await call({ to: '  Jane.Doe@Example.COM ', channel: 'email' });
    expect(res.status).toBe(200);
    expect(stub.calls.verificationCreate[0]).toEqual({
      to: 'jane.doe@example.com',
      channel: 'email',
      rateLimits: { destination: 'jane.doe@example.com' },
    });
    expect(res.body.to).toBe('j***@example.com');
    expect((await call({ to: 'j@example.com', channel: 'email' })).body.to).toBe('j***@example.com');
  });

  it('a destination with a code pending waits for its cooldown, whoever asks', async () => {
    const now = Date.now();
    stub.lastHeaders = { date: new Date(now).toUTCString() };
    stub.onVerificationFetch = (p) => ({
      sid: `VE${'1'.repeat(32)}`,
      to: p.sid,
      channel: 'sms',
      status: 'pending',
      dateCreated: new Date(now - 100_000),
      sendCodeAttempts: attempts(2, 'sms', now - 12_000),
    });
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(429);
    // Two sends so far: the second cooldown (40 s) from the last one, 12 s ago.
    expect(res.body.error).toMatchObject({ code: 'resend_too_soon', retryAfter: 28 });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it("joining a pending verification counts only this caller's sends", async () => {
    const now = Date.now();
    stub.lastHeaders = { date: new Date(now).toUTCString() };
    const VE1 = `VE${'1'.repeat(32)}`;
    stub.onVerificationFetch = () => ({
      sid: VE1,
      to: NUMBER,
      channel: 'sms',
      status: 'pending',
      dateCreated: new Date(now - 500_000),
      sendCodeAttempts: attempts(2, 'sms', now - 3600_000),
    });
    stub.onVerificationCreate = () => ({
      sid: VE1,
      to: NUMBER,
      channel: 'sms',
      status: 'pending',
      dateCreated: new Date(now - 500_000),
      sendCodeAttempts: attempts(3, 'sms', now, 1),
    });
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(200);
    expect(res.body.sendCodeAttempts).toBe(1);
    // The schedule is the destination's: the third send waits the third cooldown (default 30,40,60,…).
    expect(res.body.retryAfter).toBe(60);
  });

  it('a verification someone else opened since this start looked is not shared: 429 with the wait, no handle (attack round 11)', async () => {
    // None pending when the start looked; by its send, another caller's send had opened one (the
    // record forgotten by an approval), so Verify resent their code: two attempts, one theirs.
    const now = Date.now();
    stub.lastHeaders = { date: new Date(now).toUTCString() };
    stub.onVerificationCreate = () => ({
      sid: `VE${'2'.repeat(32)}`,
      to: NUMBER,
      channel: 'sms',
      status: 'pending',
      dateCreated: new Date(now - 1000),
      sendCodeAttempts: [...attempts(1, 'sms', now - 1000), ...attempts(1, 'sms', now, 1)],
    });
    const res = await call({ to: NUMBER });
    expect([res.status, res.body.error?.code, res.body.verification]).toEqual([429, 'resend_too_soon', undefined]);
    // This send counts: the wait is the destination's after it (the first cooldown, 30 s).
    expect(res.body.error?.retryAfter).toBe(30);
    expect(stub.calls.verificationUpdate).toEqual([]);
  });

  it('creates the client with a timeout well under the 10 s runtime limit', async () => {
    await call({ to: NUMBER });
    const timeout = Number(stub.clientOptions[0]?.timeout);
    // VERIFY_TIMEOUT_MS unset: the default, 5 s.
    expect(timeout).toBe(5000);
  });
});

describe('start-verify: caller mistakes are 4xx with a code and field', () => {
  it.each([
    [{}, 'invalid_request', 'to'],
    [{ to: '' }, 'invalid_request', 'to'],
    [{ to: ['+14155552671', '+14155552672'] }, 'invalid_request', 'to'],
    [{ to: { $gt: '' } }, 'invalid_request', 'to'],
    [{ to: '12345' }, 'invalid_phone_number', 'to'],
    [{ to: '+1 415 555' }, 'invalid_phone_number', 'to'],
    [{ to: 'jane@example.com' }, 'invalid_phone_number', 'to'],
    // Twilio's docs' number (README): 555 is no assigned area code, so Verify is never asked.
    [{ to: '+15558675310' }, 'invalid_phone_number', 'to'],
    [{ to: NUMBER, channel: 'pigeon' }, 'unsupported_channel', 'channel'],
    [{ to: NUMBER, channel: 'sna' }, 'unsupported_channel', 'channel'],
    [{ to: 'not-an-email', channel: 'email' }, 'invalid_email', 'to'],
    [{ to: NUMBER, locale: 'xx-YY' }, 'invalid_request', 'locale'],
    [{ to: '4155552671', country: 'USA' }, 'invalid_request', 'country'],
    // Shaped like a country code but none: the field to fix is `country`, not the number.
    [{ to: '4155552671', country: 'ZZ' }, 'invalid_request', 'country'],
    [{ to: 'a\u0000b' }, 'invalid_request', 'to'],
  ])('%j → 400 %s on %s', async (params, code, field) => {
    const res = await call(params);
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatchObject({ code, field, message: expect.any(String) });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it.each(['__proto__', 'constructor', 'toString'])(
    'an unknown `%s` parameter is named, with the same message as any other',
    async (key) => {
      const res = await call(JSON.parse(`{"to":"${NUMBER}","${key}":"x"}`));
      expect([res.status, res.body.error]).toEqual([
        400,
        { code: 'invalid_request', field: key, message: `\`${key}\` is not a parameter this endpoint accepts.` },
      ]);
    },
  );

  it('ignores `country` for an E.164 number, as Verify would (the number says its country)', async () => {
    const res = await call({ to: NUMBER, country: 'ZZ' });
    expect(res.status).toBe(200);
  });

  it('answers GET with 405 and Allow', async () => {
    const res = await call({ to: NUMBER }, {}, {});
    expect(res.status).toBe(405);
    expect(res.body.error).toMatchObject({ code: 'method_not_allowed' });
    expect(res.headers.Allow).toBe('POST, OPTIONS');
  });
});

describe('start-verify: Verify errors keep their Twilio code', () => {
  it.each([
    [twilioError(429, 60203, 'Max send attempts reached'), 429, 'max_send_attempts', 60203],
    [twilioError(429, 20429, 'Rate limit bucket exceeded'), 429, 'rate_limited', 20429],
    [twilioError(429, 60212, 'Too many concurrent requests for phone number'), 429, 'rate_limited', 60212],
    [twilioError(403, 60605, 'Verification delivery attempt blocked'), 403, 'destination_blocked', 60605],
    [twilioError(403, 60410, 'Verification delivery attempt blocked'), 403, 'destination_blocked', 60410],
    [twilioError(400, 60223, 'Delivery channel disabled: WHATSAPP'), 403, 'channel_disabled', 60223],
    [
      twilioError(400, 60217, 'Add an email integration before using the Email channel.'),
      403,
      'channel_disabled',
      60217,
    ],
    [twilioError(400, 60205, 'SMS is not supported by landline phone number'), 400, 'landline_not_supported', 60205],
    [twilioError(400, 60200, 'Invalid parameter: To'), 400, 'invalid_phone_number', 60200],
    [twilioError(401, 20003, 'Authenticate'), 500, 'server_misconfigured', 20003],
    [twilioError(404, 20404, 'The requested resource /Services/VA… was not found'), 500, 'server_misconfigured', 20404],
    [twilioError(500, 20500, 'Internal Server Error'), 502, 'verify_unavailable', 20500],
    [twilioError(503, 20503, 'Service unavailable'), 502, 'verify_unavailable', 20503],
    [twilioError(400, 60999, 'Something new'), 502, 'verify_error', 60999],
  ])('Twilio %p → %i %s', async (error, status, code, twilioCode) => {
    stub.onVerificationCreate = () => error;
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, twilioCode });
    expect(JSON.stringify(res.body)).not.toContain(String((error as Error).message));
    expect(res.logs.some((line) => line.includes(`"twilioCode":${twilioCode}`))).toBe(true);
  });

  it('passes Retry-After through on 429s', async () => {
    stub.onVerificationCreate = () => twilioError(429, 20429);
    stub.lastHeaders = { 'retry-after': '42' };
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(429);
    expect(res.headers['Retry-After']).toBe('42');
    expect(res.body.error).toMatchObject({ code: 'rate_limited', retryAfter: 42 });
  });

  it.each([
    ['ECONNABORTED', 504, 'verify_timeout'],
    ['ETIMEDOUT', 504, 'verify_timeout'],
    ['ECONNREFUSED', 502, 'verify_unavailable'],
    ['ECONNRESET', 502, 'verify_unavailable'],
  ])('network %s → %i %s', async (errno, status, code) => {
    stub.onVerificationCreate = () => networkError(errno);
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code });
  });
});

describe("start-verify: configuration faults are the operator's, not the caller's", () => {
  it('missing VERIFY_SERVICE_SID → 500 server_misconfigured naming the variable', async () => {
    const res = await call({ to: NUMBER }, { VERIFY_SERVICE_SID: '' });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
    expect(String(res.body.error?.message)).toContain('VERIFY_SERVICE_SID');
  });

  it('getTwilioClient throwing (bad credentials locally) → server_misconfigured without secrets', async () => {
    const context = {
      ...stubContext(stub),
      AUTH_TOKEN: 'supersecret-token',
      getTwilioClient: () => {
        throw new Error('AUTH_TOKEN supersecret-token invalid');
      },
    };
    const res = await invoke(start, { to: NUMBER }, { context });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
    expect(JSON.stringify(res.body) + res.logs.join('\n')).not.toContain('supersecret');
  });

  it('refuses emulator mode when not served from localhost', async () => {
    const res = await call(
      { to: NUMBER },
      { VERIFY_EMULATOR_HOST: '127.0.0.1:3001', DOMAIN_NAME: 'verify-1234-dev.twil.io' },
    );
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
  });
});

describe('start-verify: never leaks', () => {
  it('no full number in the response or the logs, for success and failure', async () => {
    const ok = await call({ to: NUMBER });
    stub.onVerificationCreate = () => twilioError(429, 60203);
    const failed = await call({ to: NUMBER });
    for (const res of [ok, failed]) {
      const text = JSON.stringify(res.body) + res.logs.join('\n');
      expect(text).not.toContain('4155552671');
      expect(res.logs).toHaveLength(1);
    }
    expect(ok.logs.join('\n')).toContain('+1******2671');
  });
});

describe('start-verify: SMS pumping defences', () => {
  it.each([
    ['a country outside the default allow-list (US only)', { to: '+447400123456' }, {}, 403, 'destination_blocked'],
    [
      'a country outside ALLOWED_COUNTRIES',
      { to: '+14155552671' },
      { ALLOWED_COUNTRIES: 'GB,FR' },
      403,
      'destination_blocked',
    ],
    ['a premium-rate number by SMS', { to: '+19005550123' }, {}, 403, 'destination_blocked'],
    ['a premium-rate number by call', { to: '+19005550123', channel: 'call' }, {}, 403, 'destination_blocked'],
    ['a toll-free number by WhatsApp', { to: '+18005550199', channel: 'whatsapp' }, {}, 403, 'destination_blocked'],
    ['a landline by SMS', { to: '+442079460958' }, { ALLOWED_COUNTRIES: 'GB' }, 400, 'landline_not_supported'],
  ])('refuses %s before calling Verify', async (_label, params, env, status, code) => {
    const res = await call(params, env);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, field: 'to' });
    expect(stub.calls.verificationCreate).toHaveLength(0);
  });

  it.each([
    [
      'a fallback phone outside the default allow-list',
      { to: '+14155552671', phone: '+447400123456' },
      {},
      403,
      'destination_blocked',
    ],
    [
      'a premium-rate fallback phone',
      { to: 'jane@example.com', channel: 'email', phone: '+19005550123' },
      {},
      403,
      'destination_blocked',
    ],
    ['an unparseable fallback phone', { to: '+14155552671', phone: '12' }, {}, 400, 'invalid_phone_number'],
  ])(
    'refuses %s at start (field phone), not only when a resend reaches it',
    async (_label, params, env, status, code) => {
      const res = await call(params, env);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, field: 'phone' });
      expect(stub.calls.verificationCreate).toHaveLength(0);
    },
  );

  it('takes a landline as the fallback phone (a call can reach it; an SMS to it is refused at the resend)', async () => {
    expect(
      (await call({ to: 'jane@example.com', channel: 'email', phone: '+442079460958' }, { ALLOWED_COUNTRIES: 'GB' }))
        .status,
    ).toBe(200);
  });

  it('during a lockout (60202) answers max_check_attempts naming no field: a start takes no code', async () => {
    stub.onVerificationCreate = () => twilioError(429, 60202, 'Max check attempts reached');
    const res = await call({ to: '+14155552671' });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'max_check_attempts', twilioCode: 60202 });
    expect(res.body.error?.field).toBeUndefined();
  });

  it.each([
    ['a landline by voice call', { to: '+442079460958', channel: 'call' }, { ALLOWED_COUNTRIES: 'GB' }],
    ['any country with *', { to: '+4915123456789' }, { ALLOWED_COUNTRIES: '*' }],
    ['email, whatever the country list', { to: 'a@example.de', channel: 'email' }, { ALLOWED_COUNTRIES: 'US' }],
  ])('allows %s', async (_label, params, env) => {
    expect((await call(params, env)).status).toBe(200);
  });

  it("a malformed ALLOWED_COUNTRIES is the operator's fault", async () => {
    const res = await call({ to: NUMBER }, { ALLOWED_COUNTRIES: 'USA' });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured' });
  });

  it('meters sends per destination, number prefix and client key unless VERIFY_RATE_LIMITS=false', async () => {
    await call({ to: NUMBER, clientKey: 'device-42' });
    expect(stub.calls.verificationCreate[0].rateLimits).toEqual({
      destination: NUMBER,
      phone_prefix: '+1415555',
      client_key: 'device-42',
    });
    // Another number: the first one's cooldown runs.
    await call({ to: '+14155552672', clientKey: 'device-42' }, { VERIFY_RATE_LIMITS: 'false' });
    expect(stub.calls.verificationCreate[1].rateLimits).toBeUndefined();
  });

  it('rate limits missing on the service are reported to the operator', async () => {
    stub.onVerificationCreate = () => twilioError(400, 60200, 'Invalid parameter: RateLimits');
    const res = await call({ to: NUMBER });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({
      code: 'server_misconfigured',
      twilioCode: 60200,
      message: expect.stringContaining('/create-service'),
    });
  });

  it.each([
    [{ to: NUMBER, clientKey: 'has space' }, 'clientKey'],
    [Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'])), undefined],
    [{ to: NUMBER, locale: 'x'.repeat(9000) }, undefined],
  ])('refuses oversized or malformed bodies with a 400', async (params, field) => {
    const res = await call(params as Record<string, unknown>);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', ...(field ? { field } : {}) });
  });
});
