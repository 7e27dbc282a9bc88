/**
 * POST /totp-enroll — starts adding an authenticator app (TOTP) for the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>` from /check-verify (or /totp-confirm, /totp-check).
 * Params: none. The Verify Entity is a keyed hash of the token's `sub`; the app shows
 * TOTP_ISSUER and the masked destination. Earlier unfinished enrolments are removed.
 * 200: { ok, status: "unverified", factorSid, uri (otpauth://), secret (Base32), qrSvg, handle, expiresAt }
 * Errors: invalid_token (401), invalid_request, server_misconfigured (no TOKEN_SIGNING_KEY), verify_*.
 */
import { requireServiceSid } from '../src/config';
import { maskNormalisedDestination } from '../src/domain/mask';
import { parseInput } from '../src/domain/validate';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { enrollTotp } from '../src/flows/totp-enroll';
import { defineRoute } from '../src/http/define-route';
import { requireProofToken } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-enroll',
  async run({ config, event, params, connect }) {
    const who = await requireProofToken(event, config);
    parseInput(noParamsSchema(), params);
    const masked = maskNormalisedDestination(who.destination, who.kind === 'email');
    const result = await enrollTotp(connect(), config, requireServiceSid(config), { subject: who.subject, destination: who.destination, maskedDestination: masked });
    return { status: 200, body: result, to: masked };
  },
});
