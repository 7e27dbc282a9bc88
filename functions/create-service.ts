/**
 * POST /create-service — admin only: finds or creates the Verify Service to put in
 * VERIFY_SERVICE_SID, and the Sync Service (with its Map) to put in SYNC_SERVICE_SID. Needs `Authorization: Bearer <ADMIN_TOKEN>`; closed while unset.
 *
 * Params: `friendlyName` (required, ≤ 30 chars, at most 4 digits as Verify requires), `codeLength` (4–10),
 * `lookupEnabled`, `skipSmsToLandlines`, `doNotShareWarningEnabled`, `customCodeEnabled`,
 * `dtmfInputRequired`, `ttsName`. Anything else (`ttl`, `doForceCheckOnce`, …) is refused.
 * 201 { ok, created: true, sid, …, sync: { sid, map, created } } when the Verify Service was created;
 * 200 { ok, created: false, … } when it existed. Both set the Service's passkeys relying party
 * (`passkeys`: PASSKEY_RP_ID, PASSKEY_RP_NAME, PASSKEY_ORIGINS, default DOMAIN_NAME) or say null.
 * Errors: admin_disabled (403), unauthorized (401), invalid_request (400), server_misconfigured.
 */
import { createServiceSchema } from '../src/domain/schemas/create-service';
import { ensureService } from '../src/flows/ensure-service';
import { ensureSync } from '../src/flows/ensure-sync';
import { requireAdmin } from '../src/http/admin-auth';
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
  auth: requireAdmin,
  input: createServiceSchema,
  async run({ input, config, event, connect }) {
    const result = await ensureService(connect(), input, passkeysRelyingParty(config, loopbackHost(event)));
    const sync = await ensureSync(connect(), config, input.friendlyName);
    return { status: result.created ? 201 : 200, body: { ...result, sync } };
  },
});
