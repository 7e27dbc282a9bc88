/**
 * POST /create-service — admin only: finds or creates the Verify Service to put in
 * VERIFY_SERVICE_SID, and the Sync Service (with its Map) to put in SYNC_SERVICE_SID. Needs `Authorization: Bearer <ADMIN_TOKEN>`; closed while unset.
 *
 * Params: `friendlyName` (required, ≤ 30 chars, at most 4 digits as Verify requires), `codeLength` (4–10),
 * `lookupEnabled`, `skipSmsToLandlines`, `doNotShareWarningEnabled`, `customCodeEnabled`,
 * `dtmfInputRequired`, `ttsName`. Anything else (`ttl`, `doForceCheckOnce`, …) is refused.
 * 201 { ok, created: true, sid, …, sync: { sid, map, created } } when the Verify Service was created;
 * 200 { ok, created: false, … } when it existed.
 * Errors: admin_disabled (403), unauthorized (401), invalid_request (400), server_misconfigured.
 */
import { createServiceSchema } from '../src/domain/schemas/create-service';
import { ensureService } from '../src/flows/ensure-service';
import { ensureSync } from '../src/flows/ensure-sync';
import { requireAdmin } from '../src/http/admin-auth';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'create-service',
  auth: requireAdmin,
  input: createServiceSchema,
  async run({ input, config, connect }) {
    const result = await ensureService(connect(), input);
    const sync = await ensureSync(connect(), config, input.friendlyName);
    return { status: result.created ? 201 : 200, body: { ...result, sync } };
  },
});
