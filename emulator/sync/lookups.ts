import type { RouteContext } from '../context';
import { notFound } from '../errors';
import { syncError } from './errors';
import {
  hasExpired,
  liveItem,
  liveMaps,
  type SyncMapItemRecord,
  type SyncMapRecord,
  type SyncServiceRecord,
} from './store';

/** Finders for Sync path parameters: a miss (or an expired object) is 20404 naming the path. */

/** A path parameter as sent, percent-decoding undone (Map Item keys may hold any character). */
function pathParam(context: RouteContext, name: string): string {
  const raw = context.params[name] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    // A lone `%` that is not an escape is the character itself.
    return raw;
  }
}

export function requireSyncService(context: RouteContext, paramName = 'ServiceSid'): SyncServiceRecord {
  const service = context.state.store.sync.services.get(pathParam(context, paramName));
  if (!service) throw notFound(context.resourcePath);
  return service;
}

const MAP_SID = /^MP[0-9a-fA-F]{32}$/;

/** The live Map named by its SID or its unique name, as Sync allows in every Map path. */
export function findMap(
  context: RouteContext,
  service: SyncServiceRecord,
  sidOrName: string,
): SyncMapRecord | undefined {
  const { store, clock } = context.state;
  const now = clock.now();
  if (MAP_SID.test(sidOrName)) {
    const map = store.sync.maps.get(sidOrName);
    if (!map || map.serviceSid !== service.sid) return undefined;
    if (!hasExpired(map, now)) return map;
    store.sync.maps.delete(map.sid);
    return undefined;
  }
  return liveMaps(store.sync, service.sid, now).find((map) => map.uniqueName === sidOrName);
}

export function requireMap(context: RouteContext, paramName: 'Sid' | 'MapSid'): SyncMapRecord {
  const map = findMap(context, requireSyncService(context), pathParam(context, paramName));
  if (!map) throw notFound(context.resourcePath);
  return map;
}

export function requireItem(context: RouteContext, map: SyncMapRecord): SyncMapItemRecord {
  const item = liveItem(map, pathParam(context, 'Key'), context.state.clock.now());
  if (!item) throw notFound(context.resourcePath);
  return item;
}

/**
 * If-Match: a mutation goes ahead only while the Item still has that revision. The bare
 * revision (what the SDK's `ifMatch` and the ETag carry) and its quoted entity-tag form match.
 */
export function checkRevision(context: RouteContext, item: SyncMapItemRecord): void {
  const expected = context.ifMatch?.trim();
  if (expected === undefined) return;
  const revision = String(item.revision);
  if (expected !== revision && expected !== `"${revision}"`) throw syncError('mapItemRevisionMismatch');
}
