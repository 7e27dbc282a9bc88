/**
 * POST /start-verify. Phone destinations must be in ALLOWED_COUNTRIES and of a type the channel
 * can serve; WhatsApp refused by Verify goes by SMS instead unless WHATSAPP_SMS_FALLBACK=false.
 * Every send to a destination waits for its cooldown, whoever asks and however many ask at once.
 */
import { SEND_ERRORS } from '../src/contract/error-groups';
import { sentResponse } from '../src/contract/responses';
import { startVerifySchema } from '../src/domain/schemas/start-verify';
import { startVerification } from '../src/flows/start-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'start-verify',
  tag: 'verification',
  summary: 'Send a one-time code',
  description:
    'Sends a code to `to` by `channel` and answers the verification handle. A destination with a code pending gets the next code only after its cooldown (429 `resend_too_soon` with `retryAfter`); a start replaces a code still pending for the destination.',
  input: startVerifySchema,
  responses: { 200: sentResponse },
  errors: SEND_ERRORS,
  service: true,
  state: true,
  async run(route) {
    const sent = await startVerification(route, route.input);
    return { body: sent, to: sent.to };
  },
});
