/** POST /verification-status: Verify allows 60 fetches per minute per verification; polls are metered across instances. */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { statusResponse } from '../src/contract/responses';
import { verificationStatusSchema } from '../src/domain/schemas/verification-status';
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
  async run(route) {
    const status = await verificationStatus(route, route.input);
    return { body: status, to: status.to };
  },
});
