/**
 * POST /passkey-factors — lists the passkeys of the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>`. Params: none.
 * 200: { ok, factors: [{ factorSid, friendlyName, status, dateCreated }] } (newest first; none is [])
 * Errors: invalid_token (401), invalid_request, server_misconfigured, verify_*.
 */
import { noParamsSchema } from '../src/domain/schemas/totp';
import { listPasskeys } from '../src/flows/passkey-factors';
import { defineRoute } from '../src/http/define-route';
import { requireProofToken } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'passkey-factors',
  auth: requireProofToken,
  input: noParamsSchema,
  service: true,
  run: async ({ who, serviceSid, config, connect }) => ({ body: await listPasskeys(connect(), config, serviceSid, who.subject) }),
});
