/**
 * POST /check-verify — checks a code. Only Verify's `approved` counts as verified.
 *
 * Params: `code` (4–10 characters; spaces and dashes ignored) and `verificationSid` or `to`
 * (plus `country` for a national number).
 * 200: { ok, status: "approved", sid, channel }
 * Errors: incorrect_code (401, with status "pending"), verification_not_found (404: approved,
 * expired, canceled or never started), max_check_attempts (429), invalid_request, …
 */
import { requireServiceSid } from '../src/config';
import { parseInput } from '../src/domain/validate';
import { checkVerifySchema } from '../src/domain/schemas/check-verify';
import { checkVerification } from '../src/flows/check-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'check-verify',
  async run({ config, params, connect }) {
    const input = parseInput(checkVerifySchema, params);
    const serviceSid = requireServiceSid(config);
    const { result, masked } = await checkVerification(connect(), serviceSid, input);
    return { status: 200, body: result, to: masked };
  },
});
