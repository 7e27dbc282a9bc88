/**
 * Our own once-per-challenge claim in the passkey sign-in, against a Verify that approves every
 * answer it is given (as a Verify that raced, or any future one, might): copies of one assertion
 * sent together get one approval; a fresh challenge still signs in. Attack round 5 had 2–5 of 10
 * copies approved through the emulator.
 */
import type { Twilio } from 'twilio';
import { readConfig } from '../../src/config';
import { AppError } from '../../src/domain/app-error';
import { checkPasskey } from '../../src/flows/passkey-sign-in';
import { totpEntityIdentity } from '../../src/security/totp-entity';
import type { AssertionCredential } from '../../src/verify/passkeys-api';
import type { VerifyConnection } from '../../src/verify/verify-client';
import { flowContext } from '../support/flow-context';

const config = readConfig({ SIGNING_SECRET: 'unit-secret' });
const SUBJECT = 'sub-1';

/** A Verify whose ApproveChallenge approves anything, counting what reached it. */
function approvingVerify() {
  const calls = { approve: 0 };
  const service = {
    approveChallenge: {
      update: async () => {
        calls.approve += 1;
        return { status: 'approved', identity: totpEntityIdentity(config, SUBJECT), factorSid: 'YF1' };
      },
    },
  };
  const connection: VerifyConnection = {
    client: { verify: { v2: { services: () => service } } } as unknown as Twilio,
    lastRetryAfter: () => undefined,
    serverNow: () => Date.now(),
    lastHeader: () => undefined,
  };
  return { calls, context: flowContext(connection, config, 'VA1') };
}

const assertion = (challenge: string): AssertionCredential => ({
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  authenticatorAttachment: 'platform',
  response: {
    authenticatorData: 'AA',
    signature: 'AA',
    clientDataJSON: Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge })).toString('base64url'),
  },
});

test('ten copies of one assertion at once: one approval, nine passkey_not_accepted, one call to Verify', async () => {
  const { calls, context } = approvingVerify();
  const credential = assertion('challenge-1');
  const answers = await Promise.allSettled(
    Array.from({ length: 10 }, () => checkPasskey(context, { credential, subject: SUBJECT })),
  );
  expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  const refused = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as AppError] : []));
  expect(refused.map((e) => [e.code, e.status, e.field])).toEqual(
    Array(9).fill(['passkey_not_accepted', 401, 'credential']),
  );
  expect(calls.approve).toBe(1);
  // Another challenge is another claim.
  expect((await checkPasskey(context, { credential: assertion('challenge-2'), subject: SUBJECT })).status).toBe(
    'approved',
  );
});

test('an assertion whose client data names no challenge is refused before Verify is asked', async () => {
  const { calls, context } = approvingVerify();
  const credential = { ...assertion('x'), response: { ...assertion('x').response, clientDataJSON: 'bm90IGpzb24' } };
  const error = (await checkPasskey(context, { credential, subject: SUBJECT }).catch((e: unknown) => e)) as AppError;
  expect(error).toBeInstanceOf(AppError);
  expect([error.code, error.status]).toEqual(['passkey_not_accepted', 401]);
  expect(calls.approve).toBe(0);
});
