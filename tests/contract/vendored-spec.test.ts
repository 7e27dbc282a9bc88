// The Verify v2 OpenAPI file the contract tests read is Twilio's, byte for byte (vendor/twilio-oai):
// an edit, or a newer file dropped in without updating its README, fails here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPEC_PATH, loadVerifySpec } from './verify-spec';

const dir = join(__dirname, '..', '..', 'vendor', 'twilio-oai');

test('is the file of twilio-oai commit d50069b, with its MIT licence, and has the Passkeys paths', () => {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const digest = createHash('sha256').update(readFileSync(SPEC_PATH)).digest('hex');
  expect(readme).toContain(digest);
  expect(readme).toContain('d50069b44ea8cd23141385bdb6db48f16ff75bb5');
  expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License[\s\S]*Twilio/);
  expect(
    Object.keys(loadVerifySpec().paths)
      .filter((path) => path.includes('/Passkeys/'))
      .sort(),
  ).toEqual([
    '/v2/Services/{ServiceSid}/Passkeys/ApproveChallenge',
    '/v2/Services/{ServiceSid}/Passkeys/Challenges',
    '/v2/Services/{ServiceSid}/Passkeys/Factors',
    '/v2/Services/{ServiceSid}/Passkeys/VerifyFactor',
  ]);
});
