/** POST /totp-factors: newest first; none is []. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { totpFactorsResponse } from '../src/contract/responses';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { listFactorsOfKind } from '../src/flows/entity-factors';
import { defineRoute } from '../src/http/define-route';
import { proofTokenAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-factors',
  tag: 'totp',
  summary: "List the person's authenticator apps",
  auth: proofTokenAuth,
  input: noParamsSchema,
  responses: { 200: totpFactorsResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token'],
  service: true,
  run: async (route) => ({ body: await listFactorsOfKind(route, 'totp', route.who.subject) }),
});
