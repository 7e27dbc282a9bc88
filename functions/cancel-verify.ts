/**
 * POST /cancel-verify — cancels the handle's verification (e.g. "change number") so its code
 * stops working, when this caller made every send it has had. Shared with another caller
 * (Verify keeps one per destination): nothing is cancelled, 200 { ok: true, status: "pending" }.
 * Idempotent: already approved, expired or canceled also answers 200 { ok: true, status: "canceled" }.
 *
 * Params: `verification` (the handle /start-verify answered with). Errors: invalid_verification (400).
 */
import { cancelVerifySchema } from '../src/domain/schemas/cancel-verify';
import { cancelVerification } from '../src/flows/cancel-verification';
import { readHandle } from '../src/flows/handles';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'cancel-verify',
  input: cancelVerifySchema,
  service: true,
  run: ({ input, serviceSid, config, connect }) => cancelVerification(connect(), serviceSid, readHandle(config, serviceSid, input.verification)),
});
