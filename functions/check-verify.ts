/** POST /check-verify. `to` (+ `country`) instead of `verification` only when CHECK_BY_TO=true. */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { checkResponse } from '../src/contract/responses';
import { checkVerifySchema } from '../src/domain/schemas/check-verify';
import { checkVerification } from '../src/flows/check-verification';
import { defineRoute } from '../src/http/define-route';
import { proofTokenIssuer } from '../src/tokens/proof-token';

export const handler = defineRoute({
  name: 'check-verify',
  tag: 'verification',
  summary: 'Check a code',
  description:
    'Only Verify\'s `approved` counts. A wrong code is 401 `incorrect_code` (with `status: "pending"`); the 5th is 429 `max_check_attempts` with `retryAfter`. On `approved`, `token` is the proof for your backend.',
  input: checkVerifySchema,
  responses: { 200: checkResponse },
  errors: [...VERIFY_ERRORS, 'invalid_verification', 'incorrect_code', 'verification_not_found', 'invalid_email'],
  service: true,
  state: true,
  async run(route) {
    // Before the check: a misconfigured key must not use up the person's code.
    const tokens = await proofTokenIssuer(route.config, route.event);
    const approved = await checkVerification({ ...route, tokens }, route.input);
    return { body: approved, to: approved.to };
  },
});
