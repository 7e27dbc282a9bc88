/** POST /resend-verify: the fallback order is CHANNEL_FALLBACK; fallback destinations travel in the handle. */
import { SEND_ERRORS } from '../src/contract/error-groups';
import { sentResponse } from '../src/contract/responses';
import { resendVerifySchema } from '../src/domain/schemas/resend-verify';
import { resendVerification } from '../src/flows/resend-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'resend-verify',
  tag: 'verification',
  summary: 'Send the code again',
  description:
    'Once the cooldown has passed, sends again on the next channel of the fallback order (or `channel`). Answers a new handle to keep.',
  input: resendVerifySchema,
  responses: { 200: sentResponse },
  errors: [...SEND_ERRORS, 'invalid_verification', 'verification_not_found'],
  service: true,
  state: true,
  async run(route) {
    const sent = await resendVerification(route, route.input);
    return { body: sent, to: sent.to };
  },
});
