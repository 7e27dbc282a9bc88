/** POST /create-service: the Verify Service for VERIFY_SERVICE_SID, and the Sync Service (with its Map) for SYNC_SERVICE_SID. */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { createServiceResponse } from '../src/contract/responses';
import { createServiceSchema } from '../src/domain/schemas/create-service';
import { createService } from '../src/flows/create-service';
import { adminAuth } from '../src/http/admin-auth';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'create-service',
  tag: 'admin',
  summary: 'Find or create the Verify Service and its rate limits',
  description: 'Idempotent on `friendlyName`: 201 when created, 200 when it existed.',
  auth: adminAuth,
  input: createServiceSchema,
  responses: { 200: createServiceResponse, 201: createServiceResponse },
  errors: [...VERIFY_ERRORS, 'admin_disabled', 'unauthorized'],
  async run(route) {
    const result = await createService(route, route.input);
    return { status: result.created ? 201 : 200, body: result };
  },
});
