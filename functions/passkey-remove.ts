/** POST /passkey-remove: `factorSid` from /passkey-factors; an authenticator app's or another person's is not found. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyRemoveResponse } from '../src/contract/responses';
import { totpRemoveSchema } from '../src/domain/schemas/totp';
import { removeFactorOfKind } from '../src/flows/entity-factors';
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
    return { body: await removeFactorOfKind(route, 'passkeys', { ...route.input, subject: route.who.subject }) };
  },
});
