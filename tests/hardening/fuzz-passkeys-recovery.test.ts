// Property-based fuzzing of the passkey and recovery-code routes, in process over the stubbed
// client and the in-memory store: whatever the parameters (malformed credentials, JSON that is
// not a credential, odd destinations, unknown keys), every answer is one the contract declares
// (invoke() checks each against /openapi.json), a refusal has a stable code, and neither the
// answer nor the log line carries the destination in full or a recovery code sent.
import fc from 'fast-check';
import { handler as challenge } from '../../functions/passkey-challenge';
import { handler as check } from '../../functions/passkey-check';
import { handler as confirm } from '../../functions/passkey-confirm';
import { handler as recoveryCheck } from '../../functions/recovery-check';
import { ERROR_CODES } from '../../src/domain/error-codes';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, stubContext } from '../support/twilio-stub';

const RUNS = Number(process.env.FUZZ_EXTRA_RUNS ?? 300);
const env = {
  AUTH_TOKEN: 'fuzz',
  TOKEN_SIGNING_KEY: generateSigningKey(),
  TOKEN_AUDIENCE: 'fuzz',
  DOMAIN_NAME: 'verify-fuzz.twil.io',
};
const PHONE = '+14155552671';

const b64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
const credentialLike = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record({
      id: b64url,
      rawId: b64url,
      type: fc.constantFrom('public-key', 'x'),
      response: fc.dictionary(
        fc.constantFrom(
          'clientDataJSON',
          'attestationObject',
          'authenticatorData',
          'signature',
          'userHandle',
          'transports',
        ),
        fc.oneof(b64url, fc.integer(), fc.constant(null)),
      ),
    })
    .map((value) => JSON.stringify(value)),
);
const params = fc.record(
  {
    to: fc.oneof(fc.constant(PHONE), fc.constant('person@example.com'), fc.string({ maxLength: 30 }), fc.integer()),
    country: fc.oneof(fc.constant('US'), fc.string({ maxLength: 3 })),
    credential: credentialLike,
    handle: fc.oneof(fc.constant('e1.AAAA'), fc.string({ maxLength: 40 })),
    code: fc.oneof(fc.constant('7K2MQ-9XR4T'), fc.string({ maxLength: 40 })),
    extra: fc.string({ maxLength: 5 }),
  },
  { requiredKeys: [] },
);

describe.each([
  ['passkey-challenge', challenge],
  ['passkey-check', check],
  ['passkey-confirm', confirm],
  ['recovery-check', recoveryCheck],
] as const)('%s under random parameters', (_name, handler) => {
  test('answers only what the contract declares, with stable codes, leaking no destination or code', async () => {
    await fc.assert(
      fc.asyncProperty(params, async (given) => {
        const stub = createVerifyStub();
        const res = await invoke(handler as Handler, given, { context: stubContext(stub, env) });
        if (res.status >= 400) {
          const code = String(res.body.error?.code);
          expect(Object.keys(ERROR_CODES)).toContain(code);
          expect(res.status).toBe(ERROR_CODES[code as keyof typeof ERROR_CODES].status);
        }
        const seen = JSON.stringify(res.body) + res.logs.join('\n');
        expect(seen).not.toContain(PHONE);
        expect(seen).not.toContain('4155552671');
        if (typeof given.code === 'string' && given.code.replace(/[\s-]/g, '').length >= 8)
          expect(res.logs.join('\n')).not.toContain(given.code);
      }),
      { numRuns: RUNS, seed: 23 },
    );
  });
});
