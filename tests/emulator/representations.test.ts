/** The hand-written JSON renderers give exactly what JSON.stringify gives for the plain objects. */
import fc from 'fast-check';
import {
  renderVerification,
  renderVerificationCheck,
  verificationCheckJson,
  verificationJson,
} from '../../emulator/representations';
import { CHANNELS } from '../../emulator/types';
import type { VerificationRecord } from '../../emulator/store';

// Full Unicode, lone surrogates, quotes, backslashes and control characters included.
const anyText = fc.string({ unit: 'binary' });
const tricky = fc.constantFrom('', '"', '\\', '\u0000', '\n', '\u001f', '\u2028', '\ud800', '\udc00x', '😀', 'é');
const text = fc.oneof(anyText, tricky, fc.string());
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
const channel = fc.constantFrom(...CHANNELS);

const record = fc.record({
  sid: text,
  serviceSid: text,
  to: text,
  channel,
  status: fc.constantFrom('pending', 'approved', 'canceled', 'max_attempts_reached', 'expired' as const),
  code: text,
  locale: text,
  amount: fc.option(text, { nil: null }),
  payee: fc.option(text, { nil: null }),
  sendCodeAttempts: fc.array(fc.record({ attemptSid: text, channel, time }), { maxLength: 6 }),
  carrierType: fc.constantFrom(null, 'mobile', 'landline', 'voip' as const),
  wrongChecks: fc.nat(),
  dateCreated: time,
  dateUpdated: time,
  expiresAt: time,
}) satisfies fc.Arbitrary<VerificationRecord>;

test('renderVerification equals JSON.stringify(verificationJson(…))', () => {
  fc.assert(
    fc.property(record, text, (verification, accountSid) => {
      expect(renderVerification(verification, accountSid)).toBe(JSON.stringify(verificationJson(verification, accountSid)));
    }),
    { numRuns: 500 },
  );
});

test('renderVerificationCheck equals JSON.stringify(verificationCheckJson(…))', () => {
  fc.assert(
    fc.property(record, text, (verification, accountSid) => {
      expect(renderVerificationCheck(verification, accountSid)).toBe(
        JSON.stringify(verificationCheckJson(verification, accountSid)),
      );
    }),
    { numRuns: 500 },
  );
});
