/**
 * POST /totp-factors — lists the authenticator apps of the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>`. Params: none.
 * 200: { ok, factors: [{ factorSid, friendlyName, status, dateCreated }] } (newest first; none is [])
 * Errors: invalid_token (401), invalid_request, server_misconfigured, verify_*.
 */
import { requireServiceSid } from '../src/config';
import { parseInput } from '../src/domain/validate';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { listTotpFactors } from '../src/flows/totp-factors';
import { defineRoute } from '../src/http/define-route';
import { requireProofToken } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-factors',
  async run({ config, event, params, connect }) {
    const who = await requireProofToken(event, config);
    parseInput(noParamsSchema(), params);
    return { status: 200, body: await listTotpFactors(connect(), config, requireServiceSid(config), who.subject) };
  },
});
