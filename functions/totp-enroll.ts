/**
 * POST /totp-enroll — starts adding an authenticator app (TOTP) for the person a proof token names.
 *
 * Auth: `Authorization: Bearer <proof token>` from /check-verify: a code sent to the destination
 * (a token from /totp-confirm or /totp-check is 403 sent_code_required).
 * Params: none. The Verify Entity is a keyed hash of the token's `sub`; the app shows
 * TOTP_ISSUER and the masked destination. Earlier unfinished enrolments are removed.
 * 200: { ok, status: "unverified", factorSid, uri (otpauth://), secret (Base32), qrSvg, handle, expiresAt }
 * Errors: invalid_token (401; also a token already used to add or remove an app: each is spent once),
 * sent_code_required (403), invalid_request, server_misconfigured (no TOKEN_SIGNING_KEY), state_unavailable (503), verify_*.
 */
import { maskDestination } from '../src/domain/mask';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { enrollTotp } from '../src/flows/totp-enroll';
import { defineRoute } from '../src/http/define-route';
import { spendProofToken } from '../src/flows/single-use';
import { requireSentCodeProof } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-enroll',
  auth: requireSentCodeProof,
  input: noParamsSchema,
  service: true,
  state: true,
  async run({ who, serviceSid, config, connect, store }) {
    const masked = maskDestination(who.destination);
    await spendProofToken(store, config, who, Date.now());
    const result = await enrollTotp(connect(), config, serviceSid, { subject: who.subject, destination: who.destination, maskedDestination: masked });
    return { body: result, to: masked };
  },
});
