// /passkey-check over the stubbed client: the destination a passkey proves, however `to` is spelt.
import { decodeJwt } from 'jose';
import { handler } from '../../functions/passkey-check';
import { readConfig } from '../../src/config';
import { totpEntityIdentity } from '../../src/security/totp-entity';
import { subjectId } from '../../src/tokens/subject';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, stubContext, type VerifyStub } from '../support/twilio-stub';

/** Client data naming a challenge: /passkey-check claims it once before asking Verify. */
const CLIENT_DATA = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: 'Y2hhbGxlbmdl' })).toString(
  'base64url',
);

const env = {
  AUTH_TOKEN: 'unit',
  TOKEN_SIGNING_KEY: generateSigningKey(),
  TOKEN_AUDIENCE: 'unit',
  DOMAIN_NAME: 'verify-unit.twil.io',
  ALLOWED_COUNTRIES: 'FR,US',
};
const credential = JSON.stringify({
  id: 'aWQ',
  rawId: 'aWQ',
  type: 'public-key',
  response: { authenticatorData: 'YQ', clientDataJSON: CLIENT_DATA, signature: 'cw' },
});

function withPasskeyFor(destination: string): VerifyStub {
  const stub = createVerifyStub();
  const config = readConfig(stubContext(stub, env));
  stub.totp.factors.push({
    sid: `YF${'1'.repeat(32)}`,
    identity: totpEntityIdentity(config, subjectId(destination, config)),
    factorType: 'passkeys',
    status: 'verified',
    friendlyName: 'x',
    dateCreated: new Date(),
  });
  return stub;
}
const check = (stub: VerifyStub, params: Record<string, string>) =>
  invoke(handler as Handler, { credential, ...params }, { context: stubContext(stub, env) });

test('an E.164 number spelt with its national prefix (+33 0…) still names the passkey’s owner, in the canonical spelling', async () => {
  const res = await check(withPasskeyFor('+33612345678'), { to: '+330612345678' });
  expect(res.status).toBe(200);
  expect(decodeJwt(String(res.body.token))).toMatchObject({
    phone_number: '+33612345678',
    channel: 'passkey',
    amr: ['hwk', 'user'],
  });
});

test('a national number with its country, and the E.164 spelling, name the same owner; another number is 401', async () => {
  expect((await check(withPasskeyFor('+14155552671'), { to: '4155552671', country: 'US' })).status).toBe(200);
  expect((await check(withPasskeyFor('+14155552671'), { to: '+14155552671' })).status).toBe(200);
  const other = await check(withPasskeyFor('+14155552671'), { to: '+14155550123' });
  expect([other.status, other.body.error?.code, other.body.token]).toEqual([401, 'passkey_not_accepted', undefined]);
});
