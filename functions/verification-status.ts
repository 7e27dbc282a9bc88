/**
 * POST /verification-status: a verification fetch, then one Attempts page filtered by its SID
 * (Verify allows 60 fetches per minute per verification; polls are metered across instances).
 */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { statusResponse } from '../src/contract/responses';
import { verificationStatusSchema } from '../src/domain/schemas/verification-status';
import { readHandle } from '../src/flows/handles';
import { meterStatusPoll } from '../src/flows/status-poll-limit';
import { verificationStatus } from '../src/flows/verification-status';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'verification-status',
  tag: 'verification',
  summary: 'Status, send attempts and resend schedule',
  description: 'Approved, expired and canceled verifications are gone from Verify: 404 `verification_not_found`.',
  input: verificationStatusSchema,
  responses: { 200: statusResponse },
  errors: [...VERIFY_ERRORS, 'invalid_verification', 'verification_not_found'],
  service: true,
  state: true,
  async run({ input, serviceSid, config, connect, store }) {
    const handle = readHandle(config, serviceSid, input.verification);
    await meterStatusPoll(store, config, handle.verificationSid);
    return verificationStatus(connect(), store, serviceSid, handle, config);
  },
});
