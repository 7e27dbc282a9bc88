// Proof tokens from check-verify and the keys on /jwks, through the handlers with a stubbed
// Verify client: claims, keys and rotation, misconfiguration, and what never reaches a log.
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as jwksHandler } from '../../functions/jwks';
import { AppError } from '../../src/domain/app-error';
import { readConfig } from '../../src/config';
import { tokenIssuer, verifyProofToken } from '../../src/tokens/proof-token';
import { proofTokenFor } from '../support/proof-tokens';
import { amrFor, subjectClaims } from '../../src/tokens/subject';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, sealedHandle, stubContext, type VerifyStub } from '../support/twilio-stub';
import { GET_ROUTE_METHODS } from '../../scripts/local-front';

const VE = `VE${'c'.repeat(32)}`;
const AUDIENCE = 'https://backend.example.com';
const KEY = generateSigningKey();
const TOKEN_ENV = { AUTH_TOKEN: 'test-auth-token', TOKEN_SIGNING_KEY: KEY, TOKEN_AUDIENCE: AUDIENCE };
const LOCAL = { host: '127.0.0.1:3000' };

let stub: VerifyStub;
beforeEach(() => {
  stub = createVerifyStub();
  stub.onCheckCreate = () => ({ sid: VE, to: '+14155552671', status: 'approved', channel: 'sms' });
});

const check = async (env: Record<string, string | undefined>, params?: Record<string, unknown>) =>
  invoke(checkHandler as Handler, params ?? { code: '123456', verification: sealedHandle() }, {
    context: stubContext(stub, env),
    headers: { 'content-type': 'application/json', ...LOCAL },
  });
const jwks = (env: Record<string, string | undefined>, headers: Record<string, string> = LOCAL) =>
  invoke(jwksHandler as Handler, {}, { context: stubContext(stub, env), headers });

/** RFC 7638 §3, computed here without jose: the required members in lexical order, SHA-256. */
function thumbprint(jwk: Record<string, string>): string {
  const members =
    jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

const publicOf = (jwk: string) => {
  const { kty, crv, x, y } = JSON.parse(jwk) as Record<string, string>;
  return JSON.stringify({ kty, crv, x, y });
};

describe('check-verify proof token', () => {
  it('no TOKEN_SIGNING_KEY: approved as before, with no token', async () => {
    const res = await check({ TOKEN_AUDIENCE: AUDIENCE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'approved', to: '+1******2671', channel: 'sms' });
  });

  it('answers a token with exactly the documented claims, that /jwks verifies', async () => {
    const res = await check(TOKEN_ENV);
    expect(res.status).toBe(200);
    const token = String(res.body.token);
    const { keys } = (await jwks(TOKEN_ENV)).body as unknown as { keys: Array<Record<string, string>> };
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys }), {
      issuer: 'http://127.0.0.1:3000',
      audience: AUDIENCE,
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: keys[0].kid, typ: 'JWT' });
    expect(Object.keys(payload).sort()).toEqual([
      'amr',
      'aud',
      'channel',
      'exp',
      'iat',
      'iss',
      'jti',
      'phone_number',
      'phone_number_verified',
      'sub',
    ]);
    expect(payload).toMatchObject({
      phone_number: '+14155552671',
      phone_number_verified: true,
      amr: ['sms'],
      channel: 'sms',
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a new jti every time, the same sub for the same destination, another for another', async () => {
    const a = decodeJwt(String((await check(TOKEN_ENV)).body.token));
    const b = decodeJwt(String((await check(TOKEN_ENV)).body.token));
    stub.onCheckCreate = () => ({ sid: VE, to: '+14155552672', status: 'approved', channel: 'sms' });
    const c = decodeJwt(String((await check(TOKEN_ENV)).body.token));
    expect(a.jti).not.toBe(b.jti);
    expect(a.sub).toBe(b.sub);
    expect(c.sub).not.toBe(a.sub);
    // Keyed: another secret gives another sub for the same number.
    const d = decodeJwt(
      String(
        (
          await check(
            { ...TOKEN_ENV, SIGNING_SECRET: 'another-secret' },
            { code: '123456', verification: sealedHandle({}, 'another-secret') },
          )
        ).body.token,
      ),
    );
    expect(d.sub).not.toBe(a.sub);
  });

  it('uses the channel Verify approved for amr (call → tel) and email claims for an email', async () => {
    stub.onCheckCreate = () => ({ sid: VE, to: '+14155552671', status: 'approved', channel: 'call' });
    expect(decodeJwt(String((await check(TOKEN_ENV)).body.token)).amr).toEqual(['tel']);
    stub.onCheckCreate = () => ({ sid: VE, to: 'Ada@Example.COM', status: 'approved', channel: 'email' });
    const email = decodeJwt(
      String(
        (
          await check(TOKEN_ENV, {
            code: '123456',
            verification: sealedHandle({ to: 'ada@example.com', channel: 'email' }),
          })
        ).body.token,
      ),
    );
    expect(email).toMatchObject({ email: 'ada@example.com', email_verified: true, amr: ['otp'] });
    expect(email).not.toHaveProperty('phone_number');
  });

  it('honours TOKEN_TTL up to 3600 s and refuses other values', async () => {
    const long = decodeJwt(String((await check({ ...TOKEN_ENV, TOKEN_TTL: '3600' })).body.token));
    expect(long.exp! - long.iat!).toBe(3600);
    for (const ttl of ['3601', '59', 'ten minutes', '-1']) {
      const res = await check({ ...TOKEN_ENV, TOKEN_TTL: ttl });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({
        code: 'server_misconfigured',
        message: expect.stringContaining('TOKEN_TTL'),
      });
    }
  });

  it('signs with a PKCS#8 PEM (one line with \\n escapes too) and with Ed25519 (EdDSA)', async () => {
    const pem = String(
      createPrivateKey({ key: JSON.parse(KEY), format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }),
    );
    for (const value of [pem, pem.replace(/\n/g, '\\n')]) {
      const res = await check({ ...TOKEN_ENV, TOKEN_SIGNING_KEY: value });
      expect(decodeProtectedHeader(String(res.body.token))).toMatchObject({
        alg: 'ES256',
        kid: thumbprint(JSON.parse(KEY)),
      });
    }
    const ed = JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
    const res = await check({ ...TOKEN_ENV, TOKEN_SIGNING_KEY: ed });
    expect(decodeProtectedHeader(String(res.body.token))).toMatchObject({
      alg: 'EdDSA',
      kid: thumbprint(JSON.parse(ed)),
    });
  });

  it.each([
    ['not JSON', '{"kty":'],
    ['a public key', publicOf(KEY)],
    [
      'an RSA key',
      JSON.stringify(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' })),
    ],
    [
      'a P-384 key',
      JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' })),
    ],
    ['an HMAC secret', JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })],
    ['a key whose alg says otherwise', JSON.stringify({ ...JSON.parse(KEY), alg: 'ES384' })],
    ['a point off the curve', JSON.stringify({ ...JSON.parse(KEY), y: JSON.parse(KEY).x })],
    ['garbage text', 'hunter2'],
    ['a JSON array', `[${KEY}]`],
  ])(
    'a malformed key (%s) is server_misconfigured before Verify is asked, so the code is not used up',
    async (_label, value) => {
      const res = await check({ ...TOKEN_ENV, TOKEN_SIGNING_KEY: value });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({
        code: 'server_misconfigured',
        message: expect.stringContaining('TOKEN_SIGNING_KEY'),
      });
      expect(res.body).not.toHaveProperty('token');
      expect(stub.calls.checkCreate).toHaveLength(0);
      expect(JSON.stringify(res)).not.toContain(value);
    },
  );

  it('a key without TOKEN_AUDIENCE, or without a key for sub, is server_misconfigured before Verify is asked', async () => {
    const noAudience = await check({ ...TOKEN_ENV, TOKEN_AUDIENCE: '' });
    expect(noAudience.body.error).toMatchObject({
      code: 'server_misconfigured',
      message: expect.stringContaining('TOKEN_AUDIENCE'),
    });
    const noSecret = await check({ ...TOKEN_ENV, SIGNING_SECRET: undefined, AUTH_TOKEN: undefined });
    expect(noSecret.body.error).toMatchObject({
      code: 'server_misconfigured',
      message: expect.stringContaining('SIGNING_SECRET'),
    });
    expect(stub.calls.checkCreate).toHaveLength(0);
  });

  it('no token on a wrong code, and no token or key material in any log line', async () => {
    const ok = await check(TOKEN_ENV);
    const token = String(ok.body.token);
    stub.onCheckCreate = () => ({ sid: VE, to: '+14155552671', status: 'pending', channel: 'sms' });
    const wrong = await check(TOKEN_ENV);
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toHaveProperty('token');
    const bad = await check({ ...TOKEN_ENV, TOKEN_SIGNING_KEY: publicOf(KEY) });
    const logs = [...ok.logs, ...wrong.logs, ...bad.logs, ...(await jwks(TOKEN_ENV)).logs].join('\n');
    expect(logs).toContain('"route":"check-verify"');
    for (const secret of [token, ...token.split('.'), JSON.parse(KEY).d, '+14155552671'])
      expect(logs).not.toContain(secret);
  });
});

describe('/jwks', () => {
  it('GET: the current key then the previous ones, each kid its RFC 7638 thumbprint, cacheable for 5 minutes', async () => {
    const old = generateSigningKey();
    const older = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const res = await jwks({ ...TOKEN_ENV, TOKEN_PREVIOUS_KEYS: `${publicOf(old)}` });
    expect(res.status).toBe(200);
    expect(res.headers['Cache-Control']).toBe('public, max-age=300');
    const keys = (res.body as unknown as { keys: Array<Record<string, string>> }).keys;
    expect(keys.map((k) => k.kid)).toEqual([thumbprint(JSON.parse(KEY)), thumbprint(JSON.parse(old))]);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' });
    }
    // A JWK set, an array, PEM blocks (private ones are reduced to their public half).
    const set = await jwks({ ...TOKEN_ENV, TOKEN_PREVIOUS_KEYS: JSON.stringify({ keys: [JSON.parse(old)] }) + '' });
    expect((set.body as unknown as { keys: unknown[] }).keys).toHaveLength(2);
    const pems = await jwks({
      ...TOKEN_ENV,
      TOKEN_PREVIOUS_KEYS: `${older}\n${String(createPrivateKey({ key: JSON.parse(old), format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }))}`,
    });
    const pemKeys = (pems.body as unknown as { keys: Array<Record<string, string>> }).keys;
    expect(pemKeys.map((k) => k.alg)).toEqual(['ES256', 'EdDSA', 'ES256']);
    expect(pemKeys.every((k) => !('d' in k))).toBe(true);
  });

  it('no key: an empty set; a malformed previous key: server_misconfigured naming the variable', async () => {
    expect((await jwks({})).body).toEqual({ keys: [] });
    const bad = await jwks({ ...TOKEN_ENV, TOKEN_PREVIOUS_KEYS: '[{"kty":"EC"}]' });
    expect(bad.status).toBe(500);
    expect(bad.body.error).toMatchObject({
      code: 'server_misconfigured',
      message: expect.stringContaining('TOKEN_PREVIOUS_KEYS'),
    });
  });

  it('other methods: 405 with Allow: GET, HEAD, OPTIONS (the runtime serves HEAD as GET), as the local front says', async () => {
    const res = await jwks(TOKEN_ENV, { ...LOCAL, 'content-type': 'application/json' });
    expect(res.status).toBe(405);
    expect(res.headers.Allow).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.Allow).toBe(GET_ROUTE_METHODS.join(', '));
    expect(res.body.error).toMatchObject({ code: 'method_not_allowed', message: 'Use GET.' });
  });

  it('is a public document: a page on any origin may read it (attack round 2, A4)', async () => {
    const res = await jwks(TOKEN_ENV, { ...LOCAL, origin: 'https://elsewhere.example' });
    expect(res.status).toBe(200);
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(res.headers['Access-Control-Allow-Credentials']).toBeUndefined();
  });
});

describe('verifyProofToken (for routes that take a proof token back)', () => {
  const event = { request: { headers: LOCAL } };
  const config = (env: Record<string, string>) => readConfig({ DOMAIN_NAME: 'localhost:3000', ...env });

  it('accepts our own token, also after the key moved to TOKEN_PREVIOUS_KEYS', async () => {
    const token = String(await proofTokenFor({ to: '+14155552671', channel: 'sms' }, config(TOKEN_ENV), event));
    expect(await verifyProofToken(token, config(TOKEN_ENV), event)).toMatchObject({
      phone_number: '+14155552671',
      aud: AUDIENCE,
    });
    const rotated = config({
      ...TOKEN_ENV,
      TOKEN_SIGNING_KEY: generateSigningKey(),
      TOKEN_PREVIOUS_KEYS: publicOf(KEY),
    });
    expect((await verifyProofToken(token, rotated, event)).sub).toBe(decodeJwt(token).sub);
    const dropped = config({ ...TOKEN_ENV, TOKEN_SIGNING_KEY: generateSigningKey() });
    await expect(verifyProofToken(token, dropped, event)).rejects.toMatchObject({ code: 'invalid_token', status: 401 });
  });

  it('refuses another audience, another issuer, a tampered or expired token as invalid_token', async () => {
    const token = String(await proofTokenFor({ to: '+14155552671', channel: 'sms' }, config(TOKEN_ENV), event));
    await expect(
      verifyProofToken(token, config({ ...TOKEN_ENV, TOKEN_AUDIENCE: 'other' }), event),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(
      verifyProofToken(token, config(TOKEN_ENV), { request: { headers: { host: '127.0.0.1:4000' } } }),
    ).rejects.toMatchObject({ code: 'invalid_token' });
    const [h, p, s] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...decodeJwt(token), phone_number: '+14155550000' })).toString(
      'base64url',
    );
    await expect(verifyProofToken(`${h}.${tampered}.${s}`, config(TOKEN_ENV), event)).rejects.toBeInstanceOf(AppError);
    await expect(verifyProofToken(`${h}.${p}`, config(TOKEN_ENV), event)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    jest.useFakeTimers({ now: Date.now() + 601_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      await expect(verifyProofToken(token, config(TOKEN_ENV), event)).rejects.toMatchObject({ code: 'invalid_token' });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('issuer and subject', () => {
  it('iss is https://DOMAIN_NAME once deployed, whatever Host says; locally the origin called', () => {
    expect(
      tokenIssuer({ domainName: 'verify-1234-dev.twil.io' }, { request: { headers: { host: 'evil.example' } } }),
    ).toBe('https://verify-1234-dev.twil.io');
    expect(tokenIssuer({ domainName: 'localhost:3000' }, { request: { headers: { host: '127.0.0.1:4321' } } })).toBe(
      'http://127.0.0.1:4321',
    );
    expect(tokenIssuer({ domainName: 'localhost:3000' }, { request: { headers: { host: 'evil.example' } } })).toBe(
      'http://localhost:3000',
    );
    // Host names are case-insensitive: LOCALHOST:4321 is the origin the caller used, not the inner port (attack round 2, A3).
    expect(tokenIssuer({ domainName: 'localhost:3000' }, { request: { headers: { host: 'LOCALHOST:4321' } } })).toBe(
      'http://localhost:4321',
    );
    expect(() => tokenIssuer({}, {})).toThrow(/DOMAIN_NAME/);
  });

  it('amr per RFC 8176 and one sub per destination spelling', () => {
    expect(['sms', 'call', 'email', 'whatsapp', 'rcs'].map(amrFor)).toEqual(['sms', 'tel', 'otp', 'otp', 'otp']);
    const secrets = { signingSecret: 's' };
    expect(subjectClaims({ to: 'A@B.com', channel: 'email' }, secrets).sub).toBe(
      subjectClaims({ to: 'a@b.com ', channel: 'email' }, secrets).sub,
    );
    expect(subjectClaims({ to: '+14155552671', channel: 'sms' }, secrets).sub).toBe(
      subjectClaims({ to: '+14155552671', channel: 'call' }, secrets).sub,
    );
  });
});
