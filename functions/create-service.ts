/** POST /create-service: the Verify Service for VERIFY_SERVICE_SID, and the Sync Service (with its Map) for SYNC_SERVICE_SID; both set the
 * Service's passkeys relying party (`passkeys`: PASSKEY_RP_ID, PASSKEY_RP_NAME, PASSKEY_ORIGINS, default DOMAIN_NAME) or answer it null. */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { createServiceResponse } from '../src/contract/responses';
import { createServiceSchema } from '../src/domain/schemas/create-service';
import { createService } from '../src/flows/create-service';
import { adminAuth } from '../src/http/admin-auth';
import { defineRoute } from '../src/http/define-route';
import { loopbackHost } from '../src/http/request';
import { relyingParty } from '../src/domain/relying-party';
import type { Config } from '../src/config';

/** The relying party from the settings, or none when they give none (a deployment without passkeys). */
function passkeysRelyingParty(config: Config, localHost: string | undefined) {
  try {
    return relyingParty(config, localHost);
  } catch {
    return undefined;
  }
}

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
    const relyingParty = passkeysRelyingParty(route.config, loopbackHost(route.event));
    const result = await createService(route, { ...route.input, relyingParty });
    return { status: result.created ? 201 : 200, body: result };
  },
});
