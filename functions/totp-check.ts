/**
 * POST /totp-check — signs in with an authenticator code instead of a sent one.
 *
 * Params: `to` (the phone number or email the app was added for; `country` for a national
 * number) and `code` (from the app).
 * 200: { ok, status: "approved", to (masked), token } — a proof token with `amr: ["otp"]`, `channel: "totp"`
 * (it cannot add or remove apps: /totp-enroll and /totp-remove need a sent code's).
 * Errors: incorrect_code (401: wrong code, or no authenticator for `to`: the same answer),
 * totp_rate_limited (429 with retryAfter: 10 attempts an hour, 40 a day per destination, with or without an app),
 * state_unavailable (503), invalid_request,
 * invalid_phone_number, invalid_email, server_misconfigured (no TOKEN_SIGNING_KEY), verify_*.
 */
import { totpCheckSchema } from '../src/domain/schemas/totp';
import { checkTotp, withSignInDestination } from '../src/flows/totp-check';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';
import { subjectId } from '../src/tokens/subject';

export const handler = defineRoute({
  name: 'totp-check',
  input: totpCheckSchema,
  service: true,
  state: true,
  run({ input, serviceSid, config, event, connect, store, logTo }) {
    return withSignInDestination(input.to, input.country, async ({ to, masked }) => {
      // A wrong code or Verify's limit (60312) names the destination in the log: that is what an operator alerts on.
      logTo(masked);
      const tokens = await requireTokenIssuer(config, event);
      const { status } = await checkTotp(connect(), store, config, serviceSid, subjectId(to, config), input);
      return { body: { ok: true, status, to: masked, token: await tokens.issue({ to, channel: 'totp' }) }, to: masked };
    });
  },
});
