/**
 * POST /resend-verify — sends the code again once the cooldown has passed, moving along the
 * fallback order (CHANNEL_FALLBACK, e.g. sms → call → email) unless `channel` picks one.
 *
 * Params: `verification` (required: the handle), `channel` (optional: "call me instead"),
 * `locale`, `clientKey`. Fallback destinations travel in the handle.
 * 200: { ok, verification, to (masked), channel, status, sendCodeAttempts, retryAfter, nextChannel? }
 *      (keep the new `verification`: it changes when the code goes to another destination, e.g. email.)
 * Errors: resend_too_soon (429, with the exact retryAfter), invalid_verification (400),
 * verification_not_found (404), max_check_attempts (429 during a lockout), invalid_request
 * (no destination for that channel), unsupported_channel, and start-verify's.
 */
import { resendVerifySchema } from '../src/domain/schemas/resend-verify';
import { readHandle } from '../src/flows/handles';
import { resendVerification } from '../src/flows/resend-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'resend-verify',
  input: resendVerifySchema,
  service: true,
  state: true,
  run: ({ input, serviceSid, config, connect, store }) => resendVerification(connect(), store, serviceSid, readHandle(config, serviceSid, input.verification), input, config),
});
