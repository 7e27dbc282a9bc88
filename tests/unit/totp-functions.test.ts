// The five TOTP functions over a stubbed Verify client: who they act for (the Bearer proof
// token, never the body), what reaches Verify, the tokens they answer, and what a caller sees
// when something is wrong.
import { decodeJwt, SignJWT } from 'jose';
import { handler as enrollHandler } from '../../functions/totp-enroll';
import { handler as confirmHandler } from '../../functions/totp-confirm';
import { handler as checkHandler } from '../../functions/totp-check';
import { handler as factorsHandler } from '../../functions/totp-factors';
import { handler as removeHandler } from '../../functions/totp-remove';
import { readConfig } from '../../src/config';
import { totpEntityIdentity } from '../../src/security/totp-entity';
import { proofTokenFor } from '../support/proof-tokens';
import { subjectId } from '../../src/tokens/subject';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, stubContext, twilioError, type VerifyStub } from '../support/twilio-stub';

const AUDIENCE = 'https://backend.example.com';
const ENV = { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: AUDIENCE, TOTP_ISSUER: 'Acme' };
const HOST = { host: '127.0.0.1:3000' };
const PHONE = '+14155552671';

let stub: VerifyStub;
beforeEach(() => {
  stub = createVerifyStub();
});

const config = (env: Record<string, string> = ENV) => readConfig(stubContext(stub, env));
const tokenFor = (to: string, channel = 'sms') =>
  proofTokenFor({ to, channel }, config(), { request: { headers: HOST } }) as Promise<string>;

function call(
  handler: unknown,
  params: Record<string, unknown>,
  options: { token?: string; env?: Record<string, string>; authorization?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...HOST };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization) headers.authorization = options.authorization;
  return invoke(handler as Handler, params, { context: stubContext(stub, options.env ?? ENV), headers });
}

async function enrolled(to = PHONE) {
  const token = await tokenFor(to);
  const enrol = await call(enrollHandler, {}, { token });
  const confirm = await call(confirmHandler, { handle: enrol.body.handle, code: stub.totp.code });
  // The confirm spent that code: sign-ins use the app's next one (its next 30-second step).
  stub.totp.code = String((Number(stub.totp.code) + 1) % 1_000_000).padStart(6, '0');
  return { token, enrol, confirm };
}

describe('totp-enroll', () => {
  test('acts for the token’s subject: a keyed-hash Entity, the issuer and masked number as the account name, QR + secret + handle', async () => {
    const token = await tokenFor(PHONE);
    const res = await call(enrollHandler, {}, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 'unverified', secret: 'JBSWY3DPEHPK3PXP' });
    expect(String(res.body.qrSvg)).toMatch(/^<svg[^>]*>.*<path/s);
    expect(String(res.body.uri)).toMatch(/^otpauth:\/\/totp\//);
    expect(String(res.body.handle)).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const sub = decodeJwt(token).sub as string;
    expect(stub.totp.calls.find(([op]) => op === 'factorCreate')).toEqual([
      'factorCreate',
      totpEntityIdentity(config(), sub),
      { factorType: 'totp', friendlyName: 'Acme +1******2671' },
    ]);
    // The log line names the masked destination only; never the secret, handle or number.
    expect(res.logs.join('\n')).toContain('+1******2671');
    expect(res.logs.join('\n')).not.toMatch(/JBSWY3DPEHPK3PXP|eyJhbGciOiJkaXIi|4155552671/);
  });

  test.each([
    ['no Authorization header', undefined],
    ['not a Bearer token', 'Basic dXNlcjpwYXNz'],
    ['a garbled token', 'Bearer not.a.token'],
  ])('%s → 401 invalid_token before Verify is called', async (_case, authorization) => {
    const res = await call(enrollHandler, {}, { authorization });
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([401, 'invalid_token', 'authorization']);
    expect(res.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect(stub.totp.calls).toEqual([]);
  });

  test('a token for another audience, from another key, or expired is refused', async () => {
    const other = await proofTokenFor(
      { to: PHONE, channel: 'sms' },
      config({ ...ENV, TOKEN_AUDIENCE: 'https://other.example' }),
      { request: { headers: HOST } },
    );
    const foreign = await proofTokenFor(
      { to: PHONE, channel: 'sms' },
      config({ ...ENV, TOKEN_SIGNING_KEY: generateSigningKey() }),
      { request: { headers: HOST } },
    );
    const key = JSON.parse(ENV.TOKEN_SIGNING_KEY) as { kid?: string };
    const { importJWK } = await import('jose');
    const expired = await new SignJWT({ sub: 'x', phone_number: PHONE, amr: ['sms'], jti: 'j' })
      .setProtectedHeader({ alg: 'ES256', ...(key.kid ? { kid: key.kid } : {}) })
      .setIssuer('http://127.0.0.1:3000')
      .setAudience(AUDIENCE)
      .setIssuedAt(1)
      .setExpirationTime(2)
      .sign(await importJWK(JSON.parse(ENV.TOKEN_SIGNING_KEY) as Record<string, string>, 'ES256'));
    for (const token of [other, foreign, expired]) {
      const res = await call(enrollHandler, {}, { token });
      expect([res.status, res.body.error?.code]).toEqual([401, 'invalid_token']);
    }
    expect(stub.totp.calls).toEqual([]);
  });

  test('the subject comes from the token only: a body parameter is refused', async () => {
    const res = await call(enrollHandler, { subject: 'someone-else' }, { token: await tokenFor(PHONE) });
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([400, 'invalid_request', 'subject']);
    expect(stub.totp.calls).toEqual([]);
  });

  test('an email token gets the masked address as the account name', async () => {
    await call(enrollHandler, {}, { token: await tokenFor('ada@example.com', 'email') });
    expect(stub.totp.calls.find(([op]) => op === 'factorCreate')?.[2]).toEqual({
      factorType: 'totp',
      friendlyName: 'Acme a***@example.com',
    });
  });
});

describe('totp-confirm', () => {
  test('the first right code verifies the factor and answers a proof token (amr otp) for the same person', async () => {
    const { token, enrol, confirm } = await enrolled();
    expect(confirm.status).toBe(200);
    expect(confirm.body).toMatchObject({ ok: true, status: 'verified', factorSid: enrol.body.factorSid });
    const claims = decodeJwt(String(confirm.body.token));
    expect(claims).toMatchObject({
      sub: decodeJwt(token).sub,
      phone_number: PHONE,
      phone_number_verified: true,
      amr: ['otp'],
      aud: AUDIENCE,
    });
    expect(confirm.body).not.toHaveProperty('subject');
    expect(confirm.body).not.toHaveProperty('destination');
  });

  test('a wrong code is 401 and the factor stays unverified; a changed handle is 400 before Verify', async () => {
    const enrol = await call(enrollHandler, {}, { token: await tokenFor(PHONE) });
    const wrong = await call(confirmHandler, { handle: enrol.body.handle, code: '000000' });
    expect([wrong.status, wrong.body.error?.code, wrong.body.error?.field]).toEqual([401, 'incorrect_code', 'code']);
    expect(stub.totp.factors[0]?.status).toBe('unverified');
    const handle = String(enrol.body.handle);
    const changed = `${handle.slice(0, -3)}${handle.at(-3) === 'A' ? 'B' : 'A'}${handle.slice(-2)}`;
    const before = stub.totp.calls.length;
    const bad = await call(confirmHandler, { handle: changed, code: stub.totp.code });
    expect([bad.status, bad.body.error?.code, bad.body.error?.field]).toEqual([
      400,
      'invalid_enrolment_handle',
      'handle',
    ]);
    expect(stub.totp.calls.length).toBe(before);
  });

  test('5 wrong codes (Verify 60310) → 429 max_totp_attempts; the dead factor is removed', async () => {
    const enrol = await call(enrollHandler, {}, { token: await tokenFor(PHONE) });
    const client = stub.client as {
      verify: {
        v2: {
          services: (sid: string) => { entities: (id: string) => { factors: (sid: string) => { update: unknown } } };
        };
      };
    };
    const services = client.verify.v2.services;
    client.verify.v2.services = (sid) => {
      const service = services(sid);
      const entities = service.entities;
      return {
        ...service,
        entities: (id) => {
          const e = entities(id);
          const factors = e.factors;
          return {
            ...e,
            factors: Object.assign(
              (f: string) => ({
                ...factors(f),
                update: async () => {
                  throw twilioError(429, 60310);
                },
              }),
              factors,
            ),
          };
        },
      };
    };
    const res = await call(confirmHandler, { handle: enrol.body.handle, code: '000000' });
    expect([res.status, res.body.error?.code, res.body.error?.twilioCode]).toEqual([429, 'max_totp_attempts', 60310]);
    expect(stub.totp.factors).toEqual([]);
  });

  test('without TOKEN_SIGNING_KEY the route is misconfigured and Verify is not called', async () => {
    const res = await call(
      confirmHandler,
      { handle: 'eyJh..AAAA.AAAA.AAAA', code: '123456' },
      { env: { TOTP_ISSUER: 'Acme' } },
    );
    expect([res.status, res.body.error?.code]).toEqual([500, 'server_misconfigured']);
    expect(stub.totp.calls).toEqual([]);
  });
});

describe('totp-check', () => {
  test('a right code for an enrolled destination answers a proof token (amr otp) whose sub is the destination’s', async () => {
    const { token } = await enrolled();
    // The number as a person types it, national with a country: normalised like /start-verify.
    const res = await call(checkHandler, { to: '(415) 555-2671', country: 'US', code: stub.totp.code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 'approved', to: '+1******2671' });
    const claims = decodeJwt(String(res.body.token));
    expect(claims).toMatchObject({ sub: decodeJwt(token).sub, phone_number: PHONE, amr: ['otp'] });
    expect(claims.sub).toBe(subjectId(PHONE, config()));
  });

  test('an E.164 number signs in as typed; one spelt with its national prefix (+33 0…) is still the same person, in one challenge', async () => {
    await enrolled();
    const typed = await call(checkHandler, { to: PHONE, code: stub.totp.code });
    expect([typed.status, typed.body.to, decodeJwt(String(typed.body.token)).phone_number]).toEqual([
      200,
      '+1******2671',
      PHONE,
    ]);

    await enrolled('+33612345678');
    stub.totp.calls = [];
    const prefixed = await call(checkHandler, { to: '+330612345678', code: stub.totp.code });
    expect([prefixed.status, prefixed.body.to, decodeJwt(String(prefixed.body.token)).phone_number]).toEqual([
      200,
      '+33*****5678',
      '+33612345678',
    ]);
    expect(stub.totp.calls.filter(([operation]) => operation === 'challengeCreate')).toHaveLength(1);
    expect(prefixed.logs.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ route: 'totp-check', status: 200, to: '+33*****5678' }),
    ]);
  });

  test('an invalid number in E.164 shape is 400 invalid_phone_number for `to`, and no challenge is made', async () => {
    await enrolled();
    stub.totp.calls = [];
    const res = await call(checkHandler, { to: '+1415555', code: stub.totp.code });
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([400, 'invalid_phone_number', 'to']);
    expect(stub.totp.calls.filter(([operation]) => operation === 'challengeCreate')).toEqual([]);
  });

  test('an email destination is found whatever its case', async () => {
    await enrolled('ada@example.com');
    const res = await call(checkHandler, { to: 'Ada@Example.COM', code: stub.totp.code });
    expect([res.status, decodeJwt(String(res.body.token)).email]).toEqual([200, 'ada@example.com']);
  });

  test('an enrolment handle is spent once its factor is verified: confirming again, with any code, is 400 and mints no token', async () => {
    const { enrol, confirm } = await enrolled();
    expect(confirm.status).toBe(200);
    for (const code of [stub.totp.code, '000', '99999999']) {
      const again = await call(confirmHandler, { handle: enrol.body.handle, code });
      expect([again.status, again.body.error?.code, again.body.error?.field, again.body.token]).toEqual([
        400,
        'invalid_enrolment_handle',
        'handle',
        undefined,
      ]);
    }
  });

  test('a destination without an authenticator answers exactly like a wrong code', async () => {
    await enrolled();
    const wrong = await call(checkHandler, { to: PHONE, code: '000000' });
    const nobody = await call(checkHandler, { to: '+14155550100', code: stub.totp.code });
    expect(wrong.status).toBe(401);
    expect([nobody.status, nobody.headers, nobody.body]).toEqual([wrong.status, wrong.headers, wrong.body]);
    expect(wrong.body.error).toEqual({
      code: 'incorrect_code',
      message: 'That code is not correct. Check it and try again.',
      field: 'code',
    });
  });

  test.each([
    [60308, 300],
    [60312, 3600],
  ])(
    'Verify’s %d → 429 totp_rate_limited with retryAfter %d and a Retry-After header',
    async (twilioCode, retryAfter) => {
      await enrolled();
      stub.totp.onChallengeCreate = () => twilioError(429, twilioCode);
      const res = await call(checkHandler, { to: PHONE, code: stub.totp.code });
      expect([res.status, res.body.error?.code, res.body.error?.twilioCode, res.body.error?.retryAfter]).toEqual([
        429,
        'totp_rate_limited',
        twilioCode,
        retryAfter,
      ]);
      expect(res.headers['Retry-After']).toBe(String(retryAfter));
      // The log line names the destination (masked) that is being guessed: what an operator alerts on.
      expect(res.logs.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({ route: 'totp-check', status: 429, twilioCode, to: '+1******2671' }),
      ]);
    },
  );

  test('bad input is a 400 naming the field, before Verify', async () => {
    for (const [params, field, code] of [
      [{ to: 'not a number', code: '123456' }, 'to', 'invalid_phone_number'],
      [{ to: PHONE, code: '12ab' }, 'code', 'invalid_request'],
      [{ code: '123456' }, 'to', 'invalid_request'],
      [{ to: PHONE, code: '123456', verification: 'x' }, 'verification', 'invalid_request'],
    ] as const) {
      const res = await call(checkHandler, params);
      expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([400, code, field]);
    }
    expect(stub.totp.calls).toEqual([]);
  });
});

describe('adding or removing an app needs a code sent to the destination (a stolen or guessed app proof is one sign-in, no more)', () => {
  test('tokens say how they were proven: channel "totp" from the app routes, the sent channel from check-verify', async () => {
    const { token, confirm } = await enrolled();
    expect(decodeJwt(token)).toMatchObject({ amr: ['sms'], channel: 'sms' });
    expect(decodeJwt(String(confirm.body.token))).toMatchObject({ amr: ['otp'], channel: 'totp' });
    const signIn = await call(checkHandler, { to: PHONE, code: stub.totp.code });
    expect(decodeJwt(String(signIn.body.token))).toMatchObject({ amr: ['otp'], channel: 'totp' });
  });

  test('an app sign-in’s token cannot enrol another app or remove one: 403 sent_code_required, before Verify is called', async () => {
    const { enrol } = await enrolled();
    const appToken = String((await call(checkHandler, { to: PHONE, code: stub.totp.code })).body.token);
    stub.totp.calls.length = 0;
    for (const [handler, params] of [
      [enrollHandler, {}],
      [removeHandler, { factorSid: enrol.body.factorSid }],
    ] as const) {
      const res = await call(handler, params, { token: appToken });
      expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([
        403,
        'sent_code_required',
        'authorization',
      ]);
      expect(res.headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope"');
    }
    expect(stub.totp.calls).toEqual([]);
    expect(stub.totp.factors).toHaveLength(1);
    // Listing is read-only: any proof token of the person will do.
    expect((await call(factorsHandler, {}, { token: appToken })).body.factors).toHaveLength(1);
  });

  test('a token without a channel (signed before channel existed, or by hand) is refused too', async () => {
    const key = JSON.parse(ENV.TOKEN_SIGNING_KEY) as Record<string, string>;
    const { importJWK, calculateJwkThumbprint } = await import('jose');
    const kid = await calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x, y: key.y });
    const now = Math.floor(Date.now() / 1000);
    const bare = await new SignJWT({
      sub: subjectId(PHONE, config()),
      phone_number: PHONE,
      phone_number_verified: true,
      amr: ['sms'],
      jti: 'j',
    })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer('http://127.0.0.1:3000')
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(await importJWK(key, 'ES256'));
    expect((await call(factorsHandler, {}, { token: bare })).status).toBe(200);
    const res = await call(enrollHandler, {}, { token: bare });
    expect([res.status, res.body.error?.code]).toEqual([403, 'sent_code_required']);
  });

  test.each(['sms', 'call', 'email', 'whatsapp', 'rcs'])('a %s proof enrols', async (channel) => {
    const res = await call(
      enrollHandler,
      {},
      { token: await tokenFor(channel === 'email' ? 'ada@example.com' : PHONE, channel) },
    );
    expect(res.status).toBe(200);
  });
});

describe('totp-factors and totp-remove', () => {
  test('list and remove act on the token’s subject only', async () => {
    const { token, enrol } = await enrolled();
    const list = await call(factorsHandler, {}, { token });
    expect(list.status).toBe(200);
    expect(list.body.factors).toEqual([
      expect.objectContaining({
        factorSid: enrol.body.factorSid,
        friendlyName: 'Acme +1******2671',
        status: 'verified',
      }),
    ]);

    const stranger = await tokenFor('+14155550100');
    expect((await call(factorsHandler, {}, { token: stranger })).body).toEqual({ ok: true, factors: [] });
    const theirs = await call(removeHandler, { factorSid: enrol.body.factorSid }, { token: stranger });
    expect([theirs.status, theirs.body.error?.code, theirs.body.error?.field]).toEqual([
      404,
      'factor_not_found',
      'factorSid',
    ]);
    expect(stub.totp.factors).toHaveLength(1);

    // The enrolling token was spent by the enrolment: removing needs a new proof.
    const reused = await call(removeHandler, { factorSid: enrol.body.factorSid }, { token });
    expect([reused.status, reused.body.error?.code, reused.body.error?.field]).toEqual([
      401,
      'invalid_token',
      'authorization',
    ]);
    expect(stub.totp.factors).toHaveLength(1);
    const fresh = await tokenFor(PHONE);
    const removed = await call(removeHandler, { factorSid: enrol.body.factorSid }, { token: fresh });
    expect(removed.body).toEqual({ ok: true, removed: enrol.body.factorSid });
    expect((await call(factorsHandler, {}, { token })).body).toEqual({ ok: true, factors: [] });
  });

  test('a management token adds or removes once: racing enrolments with one token make one factor', async () => {
    const token = await tokenFor(PHONE);
    const answers = await Promise.all(Array.from({ length: 25 }, () => call(enrollHandler, {}, { token })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401).every((a) => a.body.error?.code === 'invalid_token')).toBe(true);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(24);
  });

  test('both need a proof token, and remove needs a factor SID', async () => {
    for (const handler of [factorsHandler, removeHandler]) {
      const res = await call(handler, {});
      expect([res.status, res.body.error?.code]).toEqual([401, 'invalid_token']);
    }
    const res = await call(removeHandler, { factorSid: 'YFnope' }, { token: await tokenFor(PHONE) });
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([400, 'invalid_request', 'factorSid']);
    expect(stub.totp.calls).toEqual([]);
  });
});
