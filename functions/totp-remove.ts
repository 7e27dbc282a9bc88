/**
 * POST /totp-remove — removes one authenticator app of the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>` from a sent code (not /totp-check's: 403 sent_code_required). Params: `factorSid` (YF…, from /totp-factors).
 * 200: { ok, removed: factorSid }
 * Errors: invalid_token (401; also a token already used: each adds or removes once), sent_code_required (403), factor_not_found (404: not this person's, or already gone),
 * invalid_request, server_misconfigured, verify_*.
 */
import { totpRemoveSchema } from '../src/domain/schemas/totp';
import { removeTotpFactor } from '../src/flows/totp-factors';
import { defineRoute } from '../src/http/define-route';
import { spendProofToken } from '../src/flows/single-use';
import { requireSentCodeProof } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-remove',
  auth: requireSentCodeProof,
  input: totpRemoveSchema,
  service: true,
  state: true,
  async run({ input, who, serviceSid, config, connect, store }) {
    await spendProofToken(store, config, who, Date.now());
    return { body: await removeTotpFactor(connect(), config, serviceSid, who.subject, input) };
  },
});
