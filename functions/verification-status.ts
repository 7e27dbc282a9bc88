/**
 * POST /verification-status — a pending verification's status and send attempts, with the
 * resend schedule. One Verify fetch per call (Verify allows 60 per minute per verification).
 *
 * Params: `verificationSid` (required), `phone` / `email` (other destinations, for nextChannel).
 * 200: { ok, sid, status: "pending", to (masked), attempts: [{ channel, time }], retryAfter, nextChannel? }
 * Errors: verification_not_found (404: approved, expired, canceled or unknown — Verify forgets them).
 */
import { requireServiceSid } from '../src/config';
import { parseInput } from '../src/domain/validate';
import { verificationStatusSchema } from '../src/domain/schemas/verification-status';
import { verificationStatus } from '../src/flows/verification-status';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'verification-status',
  async run({ config, params, connect }) {
    const input = parseInput(verificationStatusSchema, params);
    const serviceSid = requireServiceSid(config);
    const { result, masked } = await verificationStatus(connect(), serviceSid, input, config);
    return { status: 200, body: result, to: masked };
  },
});
