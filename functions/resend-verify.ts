/**
 * POST /resend-verify — sends the code again once the cooldown has passed, moving along the
 * fallback order (CHANNEL_FALLBACK, e.g. sms → call → email) unless `channel` picks one.
 *
 * Params: `verificationSid` (required), `channel` (optional: "call me instead"), `phone` /
 * `email` (other destinations the person offered), `country`, `locale`, `clientKey`.
 * 200: { ok, sid, to (masked), channel, status, sendCodeAttempts, retryAfter, nextChannel? }
 *      (`sid` changes when the code goes to another destination, e.g. email.)
 * Errors: resend_too_soon (429, with the exact retryAfter), verification_not_found (404),
 * invalid_request (no destination for that channel), unsupported_channel, and start-verify's.
 */
import { requireServiceSid } from '../src/config';
import { parseInput } from '../src/domain/validate';
import { resendVerifySchema } from '../src/domain/schemas/resend-verify';
import { resendVerification } from '../src/flows/resend-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'resend-verify',
  async run({ config, params, connect }) {
    const input = parseInput(resendVerifySchema, params);
    const serviceSid = requireServiceSid(config);
    const { result, masked } = await resendVerification(connect(), serviceSid, input, config);
    return { status: 200, body: result, to: masked };
  },
});
