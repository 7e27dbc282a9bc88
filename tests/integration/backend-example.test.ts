// The backend example of docs/backend/, run as written (a separate `node` process), against
// twilio-run + the emulator over HTTP: it fetches /jwks and accepts only genuine, fresh,
// unused proof tokens for its audience.
// Every answer of a route is checked against the OpenAPI document on the way (tests/support/contract.ts).
import { contractFetch as fetch } from '../support/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { startStack, type Stack } from '../support/stack';

const root = join(__dirname, '..', '..');
const AUDIENCE = 'https://backend.example.com';
const SIGNING_KEY = generateSigningKey();
const PHONE = '+14155552671';

let stack: Stack;
let backend: ChildProcess;
let backendUrl: string;
let backendOutput = '';

function startBackend(issuer: string): Promise<string> {
  backend = spawn(process.execPath, [join(root, 'docs', 'backend', 'server.mjs')], {
    cwd: root,
    env: { ...process.env, ISSUER: issuer, AUDIENCE, PORT: '0' },
    stdio: 'pipe',
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start:\n${backendOutput}`)), 15000);
    const onData = (chunk: Buffer) => {
      backendOutput += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(backendOutput)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    backend.stdout?.on('data', onData);
    backend.stderr?.on('data', onData);
    backend.once('exit', (code) => reject(new Error(`backend exited with ${code}:\n${backendOutput}`)));
  });
}

beforeAll(async () => {
  stack = await startStack({ env: { TOKEN_SIGNING_KEY: SIGNING_KEY, TOKEN_AUDIENCE: AUDIENCE } });
  backendUrl = await startBackend(stack.baseUrl);
}, 60000);
afterAll(async () => {
  if (backend && backend.exitCode === null) {
    const exited = new Promise((resolve) => backend.once('exit', resolve));
    backend.kill('SIGTERM');
    await exited;
  }
  await stack?.close();
});

async function post(path: string, body: Record<string, string>) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** A real verification through the functions; returns the check-verify answer. */
async function verify(to: string, channel = 'sms') {
  const started = await post('/start-verify', { to, channel });
  expect(started.status).toBe(200);
  const inbox = await fetch(`${stack.emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(to.toLowerCase())}`); // addresses are sent lower-cased
  const { messages } = (await inbox.json()) as { messages: Array<{ code: string }> };
  const checked = await post('/check-verify', {
    code: messages[messages.length - 1].code,
    verification: started.body.verification,
  });
  expect(checked.status).toBe(200);
  return checked.body;
}

async function presentToBackend(token: string) {
  const res = await fetch(`${backendUrl}/session`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The backend's refusal: 401 with jose's error code (and the claim, for claim checks). */
async function refusal(token: string) {
  const { status, body } = await presentToBackend(token);
  expect(status).toBe(401);
  return body.claim ? `${body.error} ${body.claim}` : body.error;
}

/** Signs arbitrary claims with the deployment's own key, as if the functions had issued them. */
async function signWithRealKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const jwk = JSON.parse(SIGNING_KEY) as Record<string, string>;
  const key = await importJWK(jwk, 'ES256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header }).sign(key);
}

describe('the backend example (docs/backend) against the local stack', () => {
  let genuine: string;
  let claims: Record<string, unknown>;
  let kid: string;

  beforeAll(async () => {
    await fetch(`${stack.emulatorUrl}/emulator/v1/reset`, { method: 'POST' });
    const answer = await verify(PHONE);
    genuine = answer.token as string;
    claims = decodeJwt(genuine);
    kid = String(decodeProtectedHeader(genuine).kid);
  });

  it('check-verify answers a token with exactly the documented claims, signed by a key on /jwks', async () => {
    expect(Object.keys(claims).sort()).toEqual(
      ['amr', 'aud', 'channel', 'exp', 'iat', 'iss', 'jti', 'phone_number', 'phone_number_verified', 'sub'].sort(),
    );
    expect(claims).toMatchObject({
      iss: stack.baseUrl,
      aud: AUDIENCE,
      phone_number: PHONE,
      phone_number_verified: true,
      amr: ['sms'],
      channel: 'sms',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(String(claims.sub)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(String(claims.sub)).not.toContain('4155552671');
    const jwks = await fetch(`${stack.baseUrl}/jwks`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
    const { keys } = (await jwks.json()) as { keys: Array<Record<string, string>> };
    expect(keys.map((k) => k.kid)).toEqual([kid]);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('accepts the genuine token once, then refuses it as a replay', async () => {
    const first = await presentToBackend(genuine);
    expect(first).toEqual({ status: 200, body: { ok: true, sub: claims.sub, phone_number: PHONE } });
    expect(await refusal(genuine)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED jti');
  });

  it('gives the same sub for the same number, and email claims with amr otp for email', async () => {
    const second = decodeJwt((await verify(PHONE)).token as string);
    expect(second.sub).toBe(claims.sub);
    expect(second.jti).not.toBe(claims.jti);
    const email = await verify('Ada@Example.com', 'email');
    const emailClaims = decodeJwt(email.token as string);
    expect(emailClaims).toMatchObject({ email: 'ada@example.com', email_verified: true, amr: ['otp'] });
    expect(emailClaims).not.toHaveProperty('phone_number');
    expect((await presentToBackend(email.token as string)).body).toMatchObject({ ok: true, email: 'ada@example.com' });
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = genuine.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, phone_number: '+14155550000', jti: 'tampered' })).toString(
      'base64url',
    );
    expect(await refusal(`${header}.${payload}.${signature}`)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('refuses alg none', async () => {
    const unsigned = new UnsecuredJWT({ ...claims, jti: 'unsigned' }).encode();
    expect(decodeProtectedHeader(unsigned).alg).toBe('none');
    expect(await refusal(unsigned)).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const publicPem = createPublicKey(createPrivateKey({ key: JSON.parse(SIGNING_KEY), format: 'jwk' })).export({
      type: 'spki',
      format: 'pem',
    });
    const publicJwk = (await (await fetch(`${stack.baseUrl}/jwks`)).json()).keys[0];
    for (const secret of [String(publicPem), JSON.stringify(publicJwk)]) {
      const forged = await new SignJWT({ ...claims, jti: `hs256-${secret.length}` })
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(secret));
      expect(await refusal(forged)).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    }
  });

  it('refuses a token for another audience, an expired one and one without an accepted amr, even signed by the real key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const wrongAud = await signWithRealKey({ ...claims, aud: 'https://other.example.com', jti: 'aud' }, { kid });
    const expired = await signWithRealKey({ ...claims, iat: now - 700, exp: now - 100, jti: 'expired' }, { kid });
    const pwd = await signWithRealKey({ ...claims, amr: ['pwd'], jti: 'pwd' }, { kid });
    const control = await signWithRealKey({ ...claims, jti: 'control' }, { kid });
    expect(await refusal(wrongAud)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED aud');
    expect(await refusal(expired)).toBe('ERR_JWT_EXPIRED exp');
    expect(await refusal(pwd)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED amr');
    // The same claims with a fresh jti pass: the refusals above are about aud, exp and amr.
    expect((await presentToBackend(control)).status).toBe(200);
  });

  it('refuses a token signed by a key that is not on /jwks (unknown kid)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = await new SignJWT({ ...claims, jti: 'unknown-kid' })
      .setProtectedHeader({ alg: 'ES256', kid: 'not-a-published-key' })
      .sign(privateKey);
    expect(await refusal(other)).toBe('ERR_JWKS_NO_MATCHING_KEY');
    const sameKid = await new SignJWT({ ...claims, jti: 'same-kid' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .sign(privateKey);
    expect(await refusal(sameKid)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('never writes a token to the backend log', () => {
    expect(backendOutput).toContain('refused');
    expect(backendOutput).not.toMatch(/eyJ[\w-]+\./);
  });
});
