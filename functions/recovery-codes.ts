/** POST /recovery-codes: only keyed hashes are stored; a new set replaces (invalidates) the old one. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { recoveryCodesResponse } from '../src/contract/responses';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { issueRecoveryCodes } from '../src/flows/recovery-codes';
import { spendProofToken } from '../src/flows/single-use';
import { defineRoute } from '../src/http/define-route';
import { sentCodeProofAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'recovery-codes',
  tag: 'recovery',
  summary: 'Make a new set of 10 recovery codes (shown once)',
  description:
    'With a proof token from a sent code, for a destination with an authenticator app or passkey. Replaces, and so invalidates, the earlier set.',
  auth: sentCodeProofAuth,
  input: noParamsSchema,
  responses: { 200: recoveryCodesResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required', 'recovery_needs_factor'],
  service: true,
  state: true,
  async run(route) {
    await spendProofToken(route.store, route.config, route.who, Date.now());
    return { body: await issueRecoveryCodes(route, { subject: route.who.subject }) };
  },
});
