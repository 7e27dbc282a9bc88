/**
 * POST /verification-status — a pending verification's status and send attempts, with the
 * resend schedule. One Verify fetch per call (Verify allows 60 per minute per verification).
 *
 * Params: `verification` (required: the handle).
 * 200: { ok, status: "pending", to (masked), channel, attempts: [{ channel, time }] (this caller's),
 *      retryAfter, nextChannel? }
 * Errors: invalid_verification (400), verification_not_found (404: approved, expired or canceled —
 * Verify forgets them), max_check_attempts (429 during a lockout, retryAfter = until it ends).
 */
import { requireServiceSid } from '../src/config';
import { parseInput } from '../src/domain/validate';
import { verificationStatusSchema } from '../src/domain/schemas/verification-status';
import { readHandle } from '../src/flows/handles';
import { verificationStatus } from '../src/flows/verification-status';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'verification-status',
  async run({ config, params, connect }) {
    const input = parseInput(verificationStatusSchema, params);
    const serviceSid = requireServiceSid(config);
    const handle = readHandle(config, serviceSid, input.verification);
    const { result, masked } = await verificationStatus(connect(), serviceSid, handle, config);
    return { status: 200, body: result, to: masked };
  },
});
