/**
 * POST /recovery-codes — a new set of 10 single-use recovery codes, shown once.
 *
 * Auth: `Authorization: Bearer <proof token>` from a code sent to the destination (an authenticator
 * app's, a passkey's or a recovery code's token is 403 sent_code_required). Params: none.
 * Only for a destination with an authenticator app or passkey. A new set replaces the old one
 * (its codes stop working); only keyed hashes are stored.
 * 200: { ok, codes: ["XXXXX-XXXXX", …10], replaced }
 * Errors: invalid_token (401; also a token already used), sent_code_required (403), recovery_needs_factor (409),
 * invalid_request, server_misconfigured, state_unavailable (503), verify_*.
 */
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
