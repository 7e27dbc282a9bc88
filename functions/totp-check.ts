/** POST /totp-check: 10 attempts an hour and 40 a day per destination, with or without an app. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { totpCheckResponse } from '../src/contract/responses';
import { totpCheckSchema } from '../src/domain/schemas/totp';
import { checkTotp, withSignInDestination } from '../src/flows/totp-check';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';
import { subjectId } from '../src/tokens/subject';

export const handler = defineRoute({
  name: 'totp-check',
  tag: 'totp',
  summary: "Sign in with an authenticator app's code",
  description:
    'A destination without an app answers exactly like a wrong code (401 `incorrect_code`). Answers a proof token, which cannot add or remove apps.',
  input: totpCheckSchema,
  responses: { 200: totpCheckResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'incorrect_code', 'totp_rate_limited', 'invalid_phone_number', 'invalid_email'],
  service: true,
  state: true,
  run(route) {
    const { input, config } = route;
    return withSignInDestination(input.to, input.country, async ({ to, masked }) => {
      // A wrong code or Verify's limit (60312) names the destination in the log: that is what an operator alerts on.
      route.logTo(masked);
      const tokens = await requireTokenIssuer(config, route.event);
      const { status } = await checkTotp(route, { subject: subjectId(to, config), code: input.code });
      return {
        body: { ok: true as const, status, to: masked, token: await tokens.issue({ to, channel: 'totp' }) },
        to: masked,
      };
    });
  },
});
