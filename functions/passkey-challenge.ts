/** POST /passkey-challenge: 30 challenges an hour and 100 a day per destination, 2,000 an hour discoverable (no `to`); the options name no credential (`allowCredentials` empty), so a destination with a passkey and one without get the same answer. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyChallengeResponse } from '../src/contract/responses';
import { resolveEitherDestination } from '../src/domain/destination';
import { passkeyChallengeSchema } from '../src/domain/schemas/passkeys';
import { challengePasskey } from '../src/flows/passkey-sign-in';
import { defineRoute } from '../src/http/define-route';
import { subjectId } from '../src/tokens/subject';

export const handler = defineRoute({
  name: 'passkey-challenge',
  tag: 'passkeys',
  summary: 'Request options for signing in with a passkey',
  description:
    "With `to`: a challenge only that destination's passkeys answer; the options name no credential (`allowCredentials` is empty, whether the destination has a passkey or not), and the browser offers the passkeys it holds. Without: a discoverable challenge any passkey of this deployment answers (the browser's autofill).",
  input: passkeyChallengeSchema,
  responses: { 200: passkeyChallengeResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'passkey_rate_limited', 'invalid_phone_number', 'invalid_email'],
  service: true,
  state: true,
  async run(route) {
    const { input, config } = route;
    if (input.to === undefined) return { body: await challengePasskey(route, {}) };
    const { to, masked } = resolveEitherDestination(input.to, input.country);
    route.logTo(masked);
    const { publicKey } = await challengePasskey(route, { subject: subjectId(to, config) });
    return { body: { ok: true as const, to: masked, publicKey }, to: masked };
  },
});
