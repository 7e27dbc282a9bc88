/** POST /totp-remove: `factorSid` from /totp-factors; each proof token adds or removes once. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { totpRemoveResponse } from '../src/contract/responses';
import { totpRemoveSchema } from '../src/domain/schemas/totp';
import { spendProofToken } from '../src/flows/single-use';
import { removeFactorOfKind } from '../src/flows/entity-factors';
import { defineRoute } from '../src/http/define-route';
import { sentCodeProofAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-remove',
  tag: 'totp',
  summary: "Remove one of the person's authenticator apps",
  auth: sentCodeProofAuth,
  input: totpRemoveSchema,
  responses: { 200: totpRemoveResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required', 'factor_not_found'],
  service: true,
  state: true,
  async run(route) {
    await spendProofToken(route.store, route.config, route.who, Date.now());
    return { body: await removeFactorOfKind(route, 'totp', { ...route.input, subject: route.who.subject }) };
  },
});
