import { requireSyncServiceSid, type Config } from '../config';
import type { VerifyConnection } from '../verify/verify-client';
import type { StateStore } from './state-store';
import { createSyncStore } from './sync-store';

/**
 * A host that runs the handlers in one process (the tests' in-process harness) may hand them a
 * store of its own through `context.getStateStore`; the Functions runtime never does (its
 * context holds the environment's strings and getTwilioClient), so a deployment always uses Sync.
 */
export type StateStoreHost = Record<string, unknown>;

/** The store for this request: the host's when it provides one, else Sync in SYNC_SERVICE_SID. */
export function openStateStore(host: StateStoreHost, config: Config, connection: () => VerifyConnection): StateStore {
  const provided = host.getStateStore;
  if (typeof provided === 'function') return (provided as () => StateStore)();
  const sid = requireSyncServiceSid(config);
  const verify = connection();
  return createSyncStore(verify.client, sid, {
    now: () => verify.serverNow(),
    retryAfter: () => verify.lastRetryAfter(),
  });
}
