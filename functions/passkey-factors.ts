/**
 * POST /passkey-factors — lists the passkeys of the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>`. Params: none.
 * 200: { ok, factors: [{ factorSid, friendlyName, status, dateCreated }] } (newest first; none is [])
 * Errors: invalid_token (401), invalid_request, server_misconfigured, verify_*.
 */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyFactorsResponse } from '../src/contract/responses';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { listPasskeys } from '../src/flows/passkey-factors';
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
  run: async (route) => ({ body: await listPasskeys(route, { subject: route.who.subject }) }),
});
