// Recovery codes end to end over HTTP on the local stack (front → twilio-run → emulator, with the
// functions' state in the emulator's Sync): shown once for a destination with an authenticator
// app, each works once, a new set retires the old one, the token they give cannot change
// factors, and guessing is bounded as SECURITY.md states (5 an hour, 20 a day per destination).
import { decodeJwt } from 'jose';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { codeFromUri } from '../support/otpauth';
import { useStack, type Stack } from '../support/stack';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SYNC_SERVICE_SID } from '../../emulator';
import { STATE_MAP_NAME } from '../../src/state/state-store';

const TO = '+14155552671';
const AUDIENCE = 'https://backend.example.com';
let stack: Stack;

useStack((started) => (stack = started), {
  env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: AUDIENCE },
});

type Answer = { status: number; body: Record<string, any> };
async function post(path: string, body: Record<string, string>, token?: string): Promise<Answer> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const emulator = (path: string, body?: unknown) =>
  fetch(
    `${stack.emulatorUrl}${path}`,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  ).then((r) => r.json() as Promise<Record<string, any>>);
const emulatorSeconds = async () => Math.floor(Date.parse(String((await emulator('/emulator/v1/clock')).now)) / 1000);

async function proofToken(to = TO): Promise<string> {
  const started = await post('/start-verify', { to });
  const { messages } = await emulator(`/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  const checked = await post('/check-verify', { verification: started.body.verification, code: messages.at(-1).code });
  expect(checked.status).toBe(200);
  return checked.body.token as string;
}

/** A destination with an authenticator app: its first confirm answers the first set of codes. */
async function withAuthenticator(to = TO): Promise<string[]> {
  const enrolment = await post('/totp-enroll', {}, await proofToken(to));
  const confirmed = await post('/totp-confirm', {
    handle: enrolment.body.handle,
    code: await codeFromUri(enrolment.body.uri, await emulatorSeconds()),
  });
  expect(confirmed.status).toBe(200);
  return confirmed.body.recoveryCodes as string[];
}

async function newCodes(to = TO): Promise<string[]> {
  const issued = await post('/recovery-codes', {}, await proofToken(to));
  expect(issued.status).toBe(200);
  return issued.body.codes as string[];
}

test('10 codes, shown once with the first authenticator, each signs in once (channel recovery); a used one is 401 like a wrong one', async () => {
  const codes = await withAuthenticator();
  // A second app does not show (or replace) them again.
  const second = await post('/totp-enroll', {}, await proofToken());
  const confirmedAgain = await post('/totp-confirm', {
    handle: second.body.handle,
    code: await codeFromUri(second.body.uri, await emulatorSeconds()),
  });
  expect(confirmedAgain.status).toBe(200);
  expect(confirmedAgain.body.recoveryCodes).toBeUndefined();
  expect(codes).toHaveLength(10);
  expect(new Set(codes).size).toBe(10);
  for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  // Nothing in the emulator's Sync holds a code or the number: keyed names and hashes only.
  const auth = `Basic ${Buffer.from(`${EMULATOR_ACCOUNT_SID}:${EMULATOR_AUTH_TOKEN}`).toString('base64')}`;
  const items = await fetch(
    `${stack.emulatorUrl}/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/${STATE_MAP_NAME}/Items?PageSize=100`,
    { headers: { authorization: auth } },
  );
  const stored = await items.text();
  expect(stored).toContain('"hashes"');
  expect(stored).not.toContain(TO);
  for (const code of codes) expect(stored).not.toContain(code.replace('-', ''));

  const first = await post('/recovery-check', { to: TO, code: codes[0].toLowerCase().replace('-', ' ') });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ ok: true, status: 'approved', to: '+1******2671', remaining: 9 });
  expect(decodeJwt(first.body.token)).toMatchObject({
    phone_number: TO,
    amr: ['otp'],
    channel: 'recovery',
    aud: AUDIENCE,
  });
  const again = await post('/recovery-check', { to: TO, code: codes[0] });
  const wrong = await post('/recovery-check', { to: TO, code: '00000-00000' });
  expect(again.status).toBe(401);
  expect(again.body).toEqual({
    ok: false,
    error: { code: 'incorrect_code', message: expect.any(String), field: 'code' },
  });
  expect(wrong.body).toEqual(again.body);
  expect((await post('/recovery-check', { to: TO, code: codes[1] })).body.remaining).toBe(8);
});

test('a new set (with a sent code) retires the old one: its unused codes are refused, the new ones work', async () => {
  const old = await withAuthenticator();
  const replacement = await post('/recovery-codes', {}, await proofToken());
  expect(replacement.body.replaced).toBe(true);
  expect((await post('/recovery-check', { to: TO, code: old[3] })).status).toBe(401);
  expect((await post('/recovery-check', { to: TO, code: replacement.body.codes[3] })).status).toBe(200);
});

test('only for a destination with an authenticator app or passkey; a recovery token cannot add, remove or renew', async () => {
  const bare = await post('/recovery-codes', {}, await proofToken('+14155550123'));
  expect([bare.status, bare.body.error.code]).toEqual([409, 'recovery_needs_factor']);
  await withAuthenticator();
  const codes = await newCodes();
  const recoveryToken = (await post('/recovery-check', { to: TO, code: codes[0] })).body.token as string;
  for (const [path, body] of [
    ['/totp-enroll', {}],
    ['/passkey-register', {}],
    ['/recovery-codes', {}],
    ['/totp-remove', { factorSid: `YF${'0'.repeat(32)}` }],
    ['/passkey-remove', { factorSid: `YF${'0'.repeat(32)}` }],
  ] as const) {
    const refused = await post(path, body, recoveryToken);
    expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, 'sent_code_required']);
  }
  // It still lists the person's factors (any proof token does).
  expect((await post('/totp-factors', {}, recoveryToken)).body.factors).toHaveLength(1);
});

test('guessing is bounded per destination: 5 attempts an hour, 20 a day, counted with or without codes, the right code refused too', async () => {
  await withAuthenticator();
  const codes = await newCodes();
  const guess = (to = TO, code = '00000-00000') => post('/recovery-check', { to, code });
  let used = 0;
  for (let hour = 0; hour < 4; hour += 1) {
    for (let n = 0; n < 5; n += 1) expect((await guess()).status).toBe(401);
    used += 5;
    const refused = await guess(TO, codes[0]);
    expect([refused.status, refused.body.error.code]).toEqual([429, 'recovery_rate_limited']);
    expect(refused.body.error.retryAfter).toBeGreaterThan(0);
    await emulator('/emulator/v1/clock', { advanceSeconds: 3600 });
  }
  expect(used).toBe(20);
  // The day's 20 are spent: a new hour does not help until the day is over.
  expect((await guess(TO, codes[0])).status).toBe(429);
  await emulator('/emulator/v1/clock', { advanceSeconds: 86_400 });
  expect((await guess(TO, codes[0])).status).toBe(200);
  // A destination without codes has the same budget (the answer does not tell who has codes).
  for (let n = 0; n < 5; n += 1) expect((await guess('+14155550123')).status).toBe(401);
  expect((await guess('+14155550123')).status).toBe(429);
});
