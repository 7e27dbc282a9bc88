import type { EmulatorState, RouteContext } from '../../context';
import { DEFAULT_SYNC_FRIENDLY_NAME, EMULATOR_SYNC_SERVICE_SID } from '../../defaults';
import type { Route } from '../../router';
import { newSid } from '../../sids';
import { booleanParam, integerParam, syncPage, urlParam } from '../params';
import { requireSyncService } from '../lookups';
import { syncServiceJson } from '../representations';
import { deleteSyncService, type SyncMapRecord, type SyncServiceRecord } from '../store';

/** Sync's defaults for a new Service: every webhook and ACL flag off, a 5,000 ms debouncing window. */
function newSyncService(sid: string, friendlyName: string | null, now: number): SyncServiceRecord {
  return {
    sid,
    friendlyName,
    webhookUrl: null,
    webhooksFromRestEnabled: false,
    reachabilityWebhooksEnabled: false,
    aclEnabled: false,
    reachabilityDebouncingEnabled: false,
    reachabilityDebouncingWindow: 5000,
    dateCreated: now,
    dateUpdated: now,
  };
}

/** The create and update parameters (all optional); absent ones keep their current value. */
function applyParams(service: SyncServiceRecord, form: Readonly<Record<string, string>>): void {
  service.friendlyName = form['FriendlyName'] ?? service.friendlyName;
  service.webhookUrl = urlParam(form, 'WebhookUrl') ?? service.webhookUrl;
  service.reachabilityWebhooksEnabled =
    booleanParam(form, 'ReachabilityWebhooksEnabled') ?? service.reachabilityWebhooksEnabled;
  service.aclEnabled = booleanParam(form, 'AclEnabled') ?? service.aclEnabled;
  service.reachabilityDebouncingEnabled =
    booleanParam(form, 'ReachabilityDebouncingEnabled') ?? service.reachabilityDebouncingEnabled;
  service.reachabilityDebouncingWindow =
    integerParam(form, 'ReachabilityDebouncingWindow', 1000, 30_000) ?? service.reachabilityDebouncingWindow;
  service.webhooksFromRestEnabled = booleanParam(form, 'WebhooksFromRestEnabled') ?? service.webhooksFromRestEnabled;
}

/**
 * Creates the Sync Service configured for this emulator, with Maps of the given unique names
 * (on start and after every reset, as the Verify service is seeded). Returns its SID.
 */
export function seedSync(state: EmulatorState): string | undefined {
  const seed = state.config.seedSync;
  if (seed === false) return undefined;
  const now = state.clock.now();
  const service = newSyncService(seed.sid ?? EMULATOR_SYNC_SERVICE_SID, DEFAULT_SYNC_FRIENDLY_NAME, now);
  state.store.sync.services.set(service.sid, service);
  for (const uniqueName of seed.maps ?? []) {
    const map: SyncMapRecord = {
      sid: newSid('MP'),
      serviceSid: service.sid,
      uniqueName,
      revision: 0,
      expiresAt: null,
      dateCreated: now,
      dateUpdated: now,
      items: new Map(),
    };
    state.store.sync.maps.set(map.sid, map);
  }
  return service.sid;
}

const render = (context: RouteContext) => (service: SyncServiceRecord) =>
  syncServiceJson(service, context.state.config.accountSid);

export const syncServiceRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/Services',
    handle(context) {
      const service = newSyncService(newSid('IS'), null, context.state.clock.now());
      applyParams(service, context.form);
      context.state.store.sync.services.set(service.sid, service);
      return { status: 201, body: render(context)(service) };
    },
  },
  {
    method: 'GET',
    path: '/v1/Services',
    handle: (context) =>
      syncPage(context, 'services', [...context.state.store.sync.services.values()], render(context)),
  },
  {
    method: 'GET',
    path: '/v1/Services/:Sid',
    handle: (context) => ({ status: 200, body: render(context)(requireSyncService(context, 'Sid')) }),
  },
  {
    method: 'POST',
    path: '/v1/Services/:Sid',
    handle(context) {
      const service = requireSyncService(context, 'Sid');
      applyParams(service, context.form);
      service.dateUpdated = context.state.clock.now();
      return { status: 200, body: render(context)(service) };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/Services/:Sid',
    handle(context) {
      deleteSyncService(context.state.store.sync, requireSyncService(context, 'Sid').sid);
      return { status: 204 };
    },
  },
];
