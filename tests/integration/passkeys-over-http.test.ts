// The passkey routes end to end over HTTP on the local stack (local front → twilio-run serving
// the built functions → the emulator, which checks the WebAuthn bytes with @simplewebauthn/server):
// prove a number, add a passkey, sign in with it; and the refusals a person or an attacker meets.
import { decodeJwt } from 'jose';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { softAuthenticator, type CreationOptions, type RequestOptions } from '../support/soft-authenticator';
import { useStack, type Stack } from '../support/stack';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SYNC_SERVICE_SID } from '../../emulator';
import { STATE_MAP_NAME } from '../../src/state/state-store';

const TO = '+14155552671';
const OTHER = '+14155550123';
const AUDIENCE = 'https://backend.example.com';
let stack: Stack;

useStack((started) => (stack = started), {
  env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: AUDIENCE, PASSKEY_RP_NAME: 'Acme' },
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
const emulator = (path: string) =>
  fetch(`${stack.emulatorUrl}${path}`).then((r) => r.json() as Promise<Record<string, any>>);
/** The page's origin as a browser must use it: passkeys need a domain, so localhost, not 127.0.0.1. */
const pageOrigin = () => stack.baseUrl.replace('127.0.0.1', 'localhost');

async function proofToken(to = TO): Promise<string> {
  const started = await post('/start-verify', { to });
  const { messages } = await emulator(`/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  const checked = await post('/check-verify', { verification: started.body.verification, code: messages.at(-1).code });
  expect(checked.status).toBe(200);
  return checked.body.token as string;
}

async function addPasskey(to = TO, authenticator = softAuthenticator({ origin: pageOrigin() })) {
  const registration = await post('/passkey-register', {}, await proofToken(to));
  expect(registration.status).toBe(200);
  const credential = authenticator.create(registration.body.publicKey as CreationOptions);
  const confirmed = await post('/passkey-confirm', {
    handle: registration.body.handle,
    credential: JSON.stringify(credential),
  });
  expect(confirmed.status).toBe(200);
  return { authenticator, registration, confirmed };
}

async function signIn(
  authenticator: ReturnType<typeof softAuthenticator>,
  to = TO,
  overrides: Parameters<ReturnType<typeof softAuthenticator>['get']>[1] = {},
) {
  const challenge = await post('/passkey-challenge', { to });
  expect(challenge.status).toBe(200);
  const assertion = authenticator.get(challenge.body.publicKey as RequestOptions, overrides);
  return { assertion, checked: await post('/passkey-check', { to, credential: JSON.stringify(assertion) }) };
}

test('prove a number → add a passkey → sign in with it: proof tokens for the same person, amr hwk+user, channel passkey', async () => {
  const smsToken = await proofToken();
  const registration = await post('/passkey-register', {}, smsToken);
  expect(registration.body).toMatchObject({
    ok: true,
    status: 'unverified',
    publicKey: {
      rp: { id: 'localhost', name: 'Acme' },
      user: { name: 'Acme +1******2671' },
      // Discoverable: sign-in by number lists no credential, so the browser must find it unnamed.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    },
  });
  const authenticator = softAuthenticator({ origin: pageOrigin() });
  const confirmed = await post('/passkey-confirm', {
    handle: registration.body.handle,
    credential: JSON.stringify(authenticator.create(registration.body.publicKey)),
  });
  expect(confirmed.status).toBe(200);
  expect(decodeJwt(confirmed.body.token)).toMatchObject({
    sub: decodeJwt(smsToken).sub,
    phone_number: TO,
    amr: ['hwk', 'user'],
    channel: 'passkey',
    aud: AUDIENCE,
  });

  const { checked } = await signIn(authenticator);
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({ ok: true, status: 'approved', to: '+1******2671' });
  expect(decodeJwt(checked.body.token)).toMatchObject({
    sub: decodeJwt(smsToken).sub,
    phone_number: TO,
    amr: ['hwk', 'user'],
    channel: 'passkey',
  });
});

test('a replayed assertion, another origin and a cloned authenticator (counter going back) are each 401 passkey_not_accepted', async () => {
  const { authenticator } = await addPasskey();
  const first = await signIn(authenticator);
  expect(first.checked.status).toBe(200);
  const replay = await post('/passkey-check', { to: TO, credential: JSON.stringify(first.assertion) });
  expect([replay.status, replay.body.error]).toEqual([
    401,
    { code: 'passkey_not_accepted', message: expect.any(String), field: 'credential' },
  ]);

  const phished = await signIn(authenticator, TO, { origin: 'http://localhost:1' });
  expect([phished.checked.status, phished.checked.body.error.code]).toEqual([401, 'passkey_not_accepted']);

  const clone = authenticator.credentials[0];
  const cloned = await signIn(authenticator, TO, { credential: clone, counter: 1 });
  expect([cloned.checked.status, cloned.checked.body.error.code, cloned.checked.body.token]).toEqual([
    401,
    'passkey_not_accepted',
    undefined,
  ]);
});

test('copies of one assertion sent together sign in once (attack round 5: 2–5 of 10 were approved), with `to` and discoverable', async () => {
  const { authenticator } = await addPasskey();
  for (const where of [{ to: TO }, {}] as Record<string, string>[]) {
    const challenge = await post('/passkey-challenge', where);
    const credential = JSON.stringify(authenticator.get(challenge.body.publicKey as RequestOptions));
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post('/passkey-check', { ...where, credential })),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect([Object.keys(where), statuses]).toEqual([Object.keys(where), [200, ...Array(9).fill(401)]]);
    expect(answers.filter((answer) => answer.status === 401).map((answer) => answer.body.error.code)).toEqual(
      Array(9).fill('passkey_not_accepted'),
    );
  }
});

test('someone else’s passkey proves nothing about `to`; a number with a passkey and one without get the same options (attack round 10: the list named the passkey)', async () => {
  const { authenticator } = await addPasskey(OTHER);
  const challenge = await post('/passkey-challenge', { to: TO });
  expect(challenge.status).toBe(200);
  const own = await post('/passkey-challenge', { to: OTHER });
  const withoutChallenge = ({ challenge: _, ...rest }: Record<string, unknown>) => rest;
  expect(withoutChallenge(own.body.publicKey)).toEqual(withoutChallenge(challenge.body.publicKey));
  expect(own.body.publicKey.allowCredentials).toEqual([]);
  // OTHER's own challenge, answered by OTHER's passkey, presented as TO.
  const assertion = authenticator.get(own.body.publicKey);
  const asTo = await post('/passkey-check', { to: TO, credential: JSON.stringify(assertion) });
  expect([asTo.status, asTo.body.error.code]).toEqual([401, 'passkey_not_accepted']);
});

test('a passkey’s token cannot add or remove factors (403 sent_code_required); a sent code’s lists and removes the passkey', async () => {
  const { authenticator, confirmed } = await addPasskey();
  const passkeyToken = (await signIn(authenticator)).checked.body.token as string;
  for (const path of ['/passkey-register', '/totp-enroll']) {
    const refused = await post(path, {}, passkeyToken);
    expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, 'sent_code_required']);
  }
  const listed = await post('/passkey-factors', {}, passkeyToken);
  expect(listed.body.factors).toEqual([
    {
      factorSid: confirmed.body.factorSid,
      friendlyName: 'Acme +1******2671',
      status: 'verified',
      dateCreated: expect.any(String),
    },
  ]);
  const byPasskey = await post('/passkey-remove', { factorSid: confirmed.body.factorSid }, passkeyToken);
  expect([byPasskey.status, byPasskey.body.error.code]).toEqual([403, 'sent_code_required']);
  // The authenticator-app route does not reach a passkey: its SID is not found there, and it still signs in.
  const byTotpRoute = await post('/totp-remove', { factorSid: confirmed.body.factorSid }, await proofToken());
  expect([byTotpRoute.status, byTotpRoute.body.error.code, byTotpRoute.body.error.field]).toEqual([
    404,
    'factor_not_found',
    'factorSid',
  ]);
  expect((await signIn(authenticator)).checked.status).toBe(200);
  const removed = await post('/passkey-remove', { factorSid: confirmed.body.factorSid }, await proofToken());
  expect(removed.body).toEqual({ ok: true, removed: confirmed.body.factorSid });
  expect((await signIn(authenticator)).checked.status).toBe(401);
});

test('an attestation answering someone else’s pending registration, sent with one’s own handle, adds nothing to either (attack round 11: it verified the other person’s factor)', async () => {
  const mine = await post('/passkey-register', {}, await proofToken(OTHER));
  const theirs = await post('/passkey-register', {}, await proofToken(TO));
  const attacker = softAuthenticator({ origin: pageOrigin() });
  const planted = await post('/passkey-confirm', {
    handle: mine.body.handle,
    credential: JSON.stringify(attacker.create(theirs.body.publicKey)),
  });
  expect([planted.status, planted.body.error.code, planted.body.token]).toEqual([
    401,
    'passkey_not_accepted',
    undefined,
  ]);
  // The victim's own registration still completes, and only their passkey signs in as them.
  const victim = softAuthenticator({ origin: pageOrigin() });
  const confirmed = await post('/passkey-confirm', {
    handle: theirs.body.handle,
    credential: JSON.stringify(victim.create(theirs.body.publicKey)),
  });
  expect(confirmed.status).toBe(200);
  expect((await signIn(attacker)).checked.status).toBe(401);
  expect((await signIn(victim)).checked.status).toBe(200);
  const listed = await post('/passkey-factors', {}, await proofToken(TO));
  expect(listed.body.factors.map((factor: { factorSid: string }) => factor.factorSid)).toEqual([
    confirmed.body.factorSid,
  ]);
});

test('a registration handle mints one token; an attestation from another origin is refused; a malformed credential is 400 naming it', async () => {
  const registration = await post('/passkey-register', {}, await proofToken());
  const authenticator = softAuthenticator({ origin: pageOrigin() });
  const wrongOrigin = await post('/passkey-confirm', {
    handle: registration.body.handle,
    credential: JSON.stringify(authenticator.create(registration.body.publicKey, { origin: 'https://evil.example' })),
  });
  expect([wrongOrigin.status, wrongOrigin.body.error.code]).toEqual([401, 'passkey_not_accepted']);
  const credential = JSON.stringify(authenticator.create(registration.body.publicKey));
  expect((await post('/passkey-confirm', { handle: registration.body.handle, credential })).status).toBe(200);
  const again = await post('/passkey-confirm', { handle: registration.body.handle, credential });
  expect([again.status, again.body.token]).toEqual([401, undefined]);
  const malformed = await post('/passkey-confirm', { handle: registration.body.handle, credential: '{"id":1}' });
  expect([malformed.status, malformed.body.error.code, malformed.body.error.field]).toEqual([
    400,
    'invalid_request',
    'credential',
  ]);
});

test('a discoverable challenge (no `to`, the browser’s autofill): the passkey names the person, and the token is theirs', async () => {
  const { authenticator, confirmed } = await addPasskey();
  const challenge = await post('/passkey-challenge', {});
  expect(challenge.status).toBe(200);
  expect(challenge.body.to).toBeUndefined();
  expect(challenge.body.publicKey.allowCredentials).toEqual([]);
  const assertion = authenticator.get(challenge.body.publicKey as RequestOptions);
  const checked = await post('/passkey-check', { credential: JSON.stringify(assertion) });
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({ ok: true, status: 'approved', to: '+1******2671' });
  expect(decodeJwt(checked.body.token)).toMatchObject({
    sub: decodeJwt(confirmed.body.token).sub,
    phone_number: TO,
    channel: 'passkey',
  });
  // Its replay, and an assertion from another origin, are refused as with `to`.
  expect((await post('/passkey-check', { credential: JSON.stringify(assertion) })).status).toBe(401);
  const again = await post('/passkey-challenge', {});
  expect(
    (
      await post('/passkey-check', {
        credential: JSON.stringify(authenticator.get(again.body.publicKey, { origin: 'http://localhost:1' })),
      })
    ).status,
  ).toBe(401);
  // The sealed owner record names no destination in the clear.
  const auth = `Basic ${Buffer.from(`${EMULATOR_ACCOUNT_SID}:${EMULATOR_AUTH_TOKEN}`).toString('base64')}`;
  const items = await (
    await fetch(
      `${stack.emulatorUrl}/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/${STATE_MAP_NAME}/Items?PageSize=100`,
      { headers: { authorization: auth } },
    )
  ).text();
  expect(items).toContain('"owner"');
  expect(items).not.toContain(TO);
  expect(items).not.toContain(TO.slice(1));
});
