/** POST /passkey-factors: the passkeys of the person the proof token names, newest first. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyFactorsResponse } from '../src/contract/responses';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { listFactorsOfKind } from '../src/flows/entity-factors';
import { defineRoute } from '../src/http/define-route';
import { proofTokenAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'passkey-factors',
  tag: 'passkeys',
  summary: "List the person's passkeys",
  auth: proofTokenAuth,
  input: noParamsSchema,
  responses: { 200: passkeyFactorsResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token'],
  service: true,
  run: async (route) => ({ body: await listFactorsOfKind(route, 'passkeys', route.who.subject) }),
});
