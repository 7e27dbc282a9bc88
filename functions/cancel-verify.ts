/** POST /cancel-verify ("change number"): the code stops working, unless another caller shares it. */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { cancelResponse } from '../src/contract/responses';
import { cancelVerifySchema } from '../src/domain/schemas/cancel-verify';
import { cancelVerification } from '../src/flows/cancel-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'cancel-verify',
  tag: 'verification',
  summary: 'Cancel the code ("change number")',
  description:
    'Cancels only when this caller made every send of the code; when another caller shares it, it is left working and the answer is `pending`. Idempotent: a verification already approved, expired or canceled also answers `canceled`.',
  input: cancelVerifySchema,
  responses: { 200: cancelResponse },
  errors: [...VERIFY_ERRORS, 'invalid_verification'],
  service: true,
  run: async (route) => ({ body: await cancelVerification(route, route.input) }),
});
