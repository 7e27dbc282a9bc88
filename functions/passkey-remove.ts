/**
 * POST /passkey-remove — removes one passkey of the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>` from a sent code (403 sent_code_required otherwise). Params: `factorSid` (YF…, from /passkey-factors).
 * 200: { ok, removed: factorSid }
 * Errors: invalid_token (401; also a token already used), sent_code_required (403), factor_not_found (404: not this person's passkey),
 * invalid_request, server_misconfigured, state_unavailable, verify_*.
 */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyRemoveResponse } from '../src/contract/responses';
import { totpRemoveSchema } from '../src/domain/schemas/totp';
import { removePasskey } from '../src/flows/passkey-factors';
import { spendProofToken } from '../src/flows/single-use';
import { defineRoute } from '../src/http/define-route';
import { sentCodeProofAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'passkey-remove',
  tag: 'passkeys',
  summary: "Remove one of the person's passkeys",
  auth: sentCodeProofAuth,
  input: totpRemoveSchema,
  responses: { 200: passkeyRemoveResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required', 'factor_not_found'],
  service: true,
  state: true,
  async run(route) {
    await spendProofToken(route.store, route.config, route.who, Date.now());
    return { body: await removePasskey(route, { ...route.input, subject: route.who.subject }) };
  },
});
