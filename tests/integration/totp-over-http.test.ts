// The TOTP routes end to end over HTTP on the local stack (local front → twilio-run serving the
// built functions → the emulator): prove a number, add an authenticator app with codes from
// otplib, sign in with a later code, list and remove; and what a caller sees when it goes wrong.
import { decodeJwt } from 'jose';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { codeFromUri } from '../support/otpauth';
import { useStack, type Stack } from '../support/stack';

const TO = '+14155552671';
const AUDIENCE = 'https://backend.example.com';
let stack: Stack;

useStack((started) => (stack = started), {
  env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: AUDIENCE, TOTP_ISSUER: 'Acme' },
});

type Answer = { status: number; headers: Headers; body: Record<string, any> };
async function post(path: string, body: Record<string, string>, token?: string): Promise<Answer> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}
const emulator = (path: string, body?: unknown) =>
  fetch(
    `${stack.emulatorUrl}${path}`,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  ).then((r) => r.json() as Promise<Record<string, any>>);
const emulatorSeconds = async () => Math.floor(Date.parse(String((await emulator('/emulator/v1/clock')).now)) / 1000);

/** A proof token for `to`, the way a person gets one: a code by SMS, checked. */
async function proofToken(to = TO): Promise<string> {
  const started = await post('/start-verify', { to });
  const { messages } = await emulator(`/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  const checked = await post('/check-verify', { verification: started.body.verification, code: messages.at(-1).code });
  expect(checked.status).toBe(200);
  return checked.body.token as string;
}

async function enrol(token: string) {
  const enrolment = await post('/totp-enroll', {}, token);
  expect(enrolment.status).toBe(200);
  const confirmed = await post('/totp-confirm', {
    handle: enrolment.body.handle,
    code: await codeFromUri(enrolment.body.uri, await emulatorSeconds()),
  });
  expect(confirmed.status).toBe(200);
  return { enrolment, confirmed };
}

test('prove a number → add an authenticator app → sign in with a later code, each step with a proof token for the same person', async () => {
  const smsToken = await proofToken();
  const { enrolment, confirmed } = await enrol(smsToken);
  expect(enrolment.body.qrSvg).toMatch(/^<svg/);
  expect(decodeURIComponent(enrolment.body.uri)).toContain('Acme +1******2671');
  const confirmClaims = decodeJwt(confirmed.body.token);
  expect(confirmClaims).toMatchObject({
    sub: decodeJwt(smsToken).sub,
    phone_number: TO,
    amr: ['otp'],
    aud: AUDIENCE,
    iss: stack.baseUrl,
  });

  await emulator('/emulator/v1/clock', { advanceSeconds: 120 });
  const signIn = await post('/totp-check', {
    to: TO,
    code: await codeFromUri(enrolment.body.uri, await emulatorSeconds()),
  });
  expect(signIn.status).toBe(200);
  expect(signIn.body).toMatchObject({ ok: true, status: 'approved', to: '+1******2671' });
  expect(decodeJwt(signIn.body.token)).toMatchObject({ sub: decodeJwt(smsToken).sub, phone_number: TO, amr: ['otp'] });
  // The emulator saw a keyed-hash identity, never the number.
  const { factors } = await emulator('/emulator/v1/factors');
  expect(
    factors.map((f: { identity: string; status: string }) => [/^[0-9a-f]{64}$/.test(f.identity), f.status]),
  ).toEqual([[true, 'verified']]);
});

test('a code from 3 minutes ago, a wrong one and a number without an app all read the same: 401 incorrect_code', async () => {
  const { enrolment } = await enrol(await proofToken());
  const old = await codeFromUri(enrolment.body.uri, (await emulatorSeconds()) - 180);
  const current = await codeFromUri(enrolment.body.uri, await emulatorSeconds());
  const stale = await post('/totp-check', { to: TO, code: old === current ? '000000' : old });
  const nobody = await post('/totp-check', { to: '+14155550100', code: current });
  expect(stale.status).toBe(401);
  expect(stale.body).toEqual({
    ok: false,
    error: { code: 'incorrect_code', message: expect.any(String), field: 'code' },
  });
  expect([nobody.status, nobody.body]).toEqual([stale.status, stale.body]);
});

test('an enrolment handle mints one token: once the factor is verified, confirming again with any code is 400 (attack round 2, A1)', async () => {
  const { enrolment } = await enrol(await proofToken());
  for (const code of ['000', '99999999', await codeFromUri(enrolment.body.uri, await emulatorSeconds())]) {
    const again = await post('/totp-confirm', { handle: enrolment.body.handle, code });
    expect([again.status, again.body.error?.code, again.body.token]).toEqual([
      400,
      'invalid_enrolment_handle',
      undefined,
    ]);
  }
});

test('an app sign-in’s token cannot add an attacker’s app or remove the owner’s: 403 sent_code_required (attack round 2, A7)', async () => {
  const { enrolment } = await enrol(await proofToken());
  await emulator('/emulator/v1/clock', { advanceSeconds: 60 });
  const signIn = await post('/totp-check', {
    to: TO,
    code: await codeFromUri(enrolment.body.uri, await emulatorSeconds()),
  });
  expect(decodeJwt(signIn.body.token)).toMatchObject({ amr: ['otp'], channel: 'totp' });
  const added = await post('/totp-enroll', {}, signIn.body.token);
  expect([added.status, added.body.error?.code, added.body.secret]).toEqual([403, 'sent_code_required', undefined]);
  expect(added.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
  const removed = await post('/totp-remove', { factorSid: enrolment.body.factorSid }, signIn.body.token);
  expect([removed.status, removed.body.error?.code]).toEqual([403, 'sent_code_required']);
  expect((await emulator('/emulator/v1/factors')).factors).toHaveLength(1);
});

test('Verify’s challenge limit (60312) is a 429 with retryAfter and Retry-After', async () => {
  const { enrolment } = await enrol(await proofToken());
  await emulator('/emulator/v1/faults', {
    match: { method: 'POST', path: '/Challenges' },
    status: 429,
    code: 60312,
    message: 'Max Challenges reached',
  });
  const limited = await post('/totp-check', {
    to: TO,
    code: await codeFromUri(enrolment.body.uri, await emulatorSeconds()),
  });
  expect([
    limited.status,
    limited.body.error.code,
    limited.body.error.twilioCode,
    limited.body.error.retryAfter,
  ]).toEqual([429, 'totp_rate_limited', 60312, 3600]);
  expect(limited.headers.get('retry-after')).toBe('3600');
});

test('list and remove need the person’s proof token; another person’s token cannot touch the factor', async () => {
  const token = await proofToken();
  const { enrolment } = await enrol(token);
  expect((await post('/totp-factors', {})).status).toBe(401);
  const listed = await post('/totp-factors', {}, token);
  expect(listed.body.factors).toEqual([
    expect.objectContaining({
      factorSid: enrolment.body.factorSid,
      status: 'verified',
      friendlyName: 'Acme +1******2671',
    }),
  ]);
  const stranger = await proofToken('+14155550100');
  expect((await post('/totp-factors', {}, stranger)).body.factors).toEqual([]);
  expect((await post('/totp-remove', { factorSid: enrolment.body.factorSid }, stranger)).status).toBe(404);
  // The token that added the app was spent doing it: removing takes a new proof.
  expect((await post('/totp-remove', { factorSid: enrolment.body.factorSid }, token)).body.error).toMatchObject({
    code: 'invalid_token',
    field: 'authorization',
  });
  expect((await post('/totp-remove', { factorSid: enrolment.body.factorSid }, await proofToken())).body).toEqual({
    ok: true,
    removed: enrolment.body.factorSid,
  });
  expect((await emulator('/emulator/v1/factors')).factors).toEqual([]);
});

test('the routes take POST only (a GET is 405 with Allow) and refuse a tampered Bearer token', async () => {
  for (const route of ['/totp-enroll', '/totp-confirm', '/totp-check', '/totp-factors', '/totp-remove']) {
    const res = await fetch(`${stack.baseUrl}${route}`);
    expect([route, res.status]).toEqual([route, 405]);
    expect(res.headers.get('allow')).toMatch(/POST/);
  }
  const token = await proofToken();
  const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  const res = await post('/totp-enroll', {}, tampered);
  expect([res.status, res.body.error.code, res.headers.get('www-authenticate')]).toEqual([
    401,
    'invalid_token',
    'Bearer error="invalid_token"',
  ]);
});

test('after the emulator clock is moved (POST /emulator/v1/clock), a real app’s wall-clock code still signs in', async () => {
  const { enrolment } = await enrol(await proofToken());
  await emulator('/emulator/v1/clock', { advanceSeconds: 7200 });
  // What a phone's authenticator app shows now: it knows nothing of the emulator's clock.
  const wallCode = await codeFromUri(enrolment.body.uri, Math.floor(Date.now() / 1000));
  const signIn = await post('/totp-check', { to: TO, code: wallCode });
  expect(signIn.status).toBe(200);
  expect(signIn.body).toMatchObject({ ok: true, status: 'approved' });
});
