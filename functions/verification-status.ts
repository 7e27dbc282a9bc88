/**
 * POST /verification-status — a pending verification's status, this caller's sends with their
 * delivery states (Verify's Attempts API), and the resend schedule. A verification fetch, then
 * one Attempts page filtered by its SID (Verify allows 60 fetches per minute per verification).
 *
 * Params: `verification` (required: the handle).
 * 200: { ok, status: "pending", to (masked), channel, attempts: [{ channel, time, delivery }]
 *      (this caller's), delivery (the latest's), retryAfter, nextChannel?, nextChannelRetryAfter? }
 * Errors: invalid_verification (400), verification_not_found (404: approved, expired or canceled —
 * Verify forgets them), max_check_attempts (429 during a lockout, retryAfter = until it ends),
 * rate_limited (429: polled over 20 times a minute, counted across instances), state_unavailable (503).
 */
import { verificationStatusSchema } from '../src/domain/schemas/verification-status';
import { readHandle } from '../src/flows/handles';
import { meterStatusPoll } from '../src/flows/status-poll-limit';
import { verificationStatus } from '../src/flows/verification-status';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'verification-status',
  input: verificationStatusSchema,
  service: true,
  state: true,
  async run({ input, serviceSid, config, connect, store }) {
    const handle = readHandle(config, serviceSid, input.verification);
    await meterStatusPoll(store, config, handle.verificationSid);
    return verificationStatus(connect(), store, serviceSid, handle, config);
  },
});
