/**
 * POST /check-verify — checks a code. Only Verify's `approved` counts as verified.
 *
 * Params: `code` (4–10 characters; spaces and dashes ignored) and `verification` (the handle
 * /start-verify answered with). `to` (+ `country`) instead only when CHECK_BY_TO=true; both: 400.
 * 200: { ok, status: "approved", to (masked), channel, token? } — `token` is the signed proof
 * of verification for your backend (see /jwks), present when TOKEN_SIGNING_KEY is set.
 * Errors: incorrect_code (401, with status "pending"), invalid_verification (400: tampered,
 * expired or foreign handle), verification_not_found (404: approved, expired or canceled),
 * max_check_attempts (429 after the 5th wrong code, retryAfter = until the window ends), …
 */
import { checkVerifySchema } from '../src/domain/schemas/check-verify';
import { checkVerification } from '../src/flows/check-verification';
import { defineRoute } from '../src/http/define-route';
import { proofTokenIssuer } from '../src/tokens/proof-token';

export const handler = defineRoute({
  name: 'check-verify',
  input: checkVerifySchema,
  service: true,
  state: true,
  async run({ input, serviceSid, config, event, connect, store }) {
    // Before the check: a misconfigured key must not use up the person's code.
    const tokens = await proofTokenIssuer(config, event);
    return checkVerification(connect, store, serviceSid, input, config, tokens);
  },
});
