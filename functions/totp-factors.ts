/**
 * POST /totp-factors — lists the authenticator apps of the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>`. Params: none.
 * 200: { ok, factors: [{ factorSid, friendlyName, status, dateCreated }] } (newest first; none is [])
 * Errors: invalid_token (401), invalid_request, server_misconfigured, verify_*.
 */
import { noParamsSchema } from '../src/domain/schemas/totp';
import { listTotpFactors } from '../src/flows/totp-factors';
import { defineRoute } from '../src/http/define-route';
import { requireProofToken } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-factors',
  auth: requireProofToken,
  input: noParamsSchema,
  service: true,
  run: async ({ who, serviceSid, config, connect }) => ({ body: await listTotpFactors(connect(), config, serviceSid, who.subject) }),
});
