/**
 * POST /cancel-verify — cancels a pending verification (e.g. "change number") so its code
 * stops working. Idempotent: already approved, expired, canceled or unknown also answers
 * 200 { ok: true, status: "canceled" }, so the answer never reveals whether one existed.
 *
 * Params: `verificationSid` or `to` (+ `country` for a national number).
 */
import { requireServiceSid } from '../src/config';
import { parseInput } from '../src/domain/validate';
import { cancelVerifySchema } from '../src/domain/schemas/cancel-verify';
import { cancelVerification } from '../src/flows/cancel-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'cancel-verify',
  async run({ config, params, connect }) {
    const input = parseInput(cancelVerifySchema, params);
    const serviceSid = requireServiceSid(config);
    const { result, masked } = await cancelVerification(connect(), serviceSid, input);
    return { status: 200, body: result, to: masked };
  },
});
