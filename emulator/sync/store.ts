/**
 * Sync state in emulator terms (camelCase, ms timestamps); representations.ts renders the wire
 * shape. Expiry is lazy: a record whose `expiresAt` has come (emulator clock) is removed when
 * it is next looked at, so `advanceClock` expires it without any timer.
 */
export interface SyncServiceRecord {
  sid: string;
  friendlyName: string | null;
  webhookUrl: string | null;
  webhooksFromRestEnabled: boolean;
  reachabilityWebhooksEnabled: boolean;
  aclEnabled: boolean;
  reachabilityDebouncingEnabled: boolean;
  reachabilityDebouncingWindow: number;
  dateCreated: number;
  dateUpdated: number;
}

export interface SyncMapRecord {
  sid: string;
  serviceSid: string;
  uniqueName: string | null;
  /** Bumped by every change to the Map or one of its Items. */
  revision: number;
  /** null: the Map never expires. */
  expiresAt: number | null;
  dateCreated: number;
  dateUpdated: number;
  /** By key, in insertion order (lists sort by key). */
  items: Map<string, SyncMapItemRecord>;
}

export interface SyncMapItemRecord {
  key: string;
  data: Record<string, unknown>;
  /** Bumped by every update; the ETag and If-Match compare against it. */
  revision: number;
  expiresAt: number | null;
  dateCreated: number;
  dateUpdated: number;
}

export interface SyncStore {
  services: Map<string, SyncServiceRecord>;
  /** By SID; a Map's service is `serviceSid`. */
  maps: Map<string, SyncMapRecord>;
  clear(): void;
}

export function createSyncStore(): SyncStore {
  const store: SyncStore = {
    services: new Map(),
    maps: new Map(),
    clear() {
      store.services.clear();
      store.maps.clear();
    },
  };
  return store;
}

export const hasExpired = (record: { expiresAt: number | null }, now: number): boolean =>
  record.expiresAt !== null && record.expiresAt <= now;

/** The service's live Maps, oldest first; expired ones are removed on the way. */
export function liveMaps(store: SyncStore, serviceSid: string, now: number): SyncMapRecord[] {
  const maps: SyncMapRecord[] = [];
  for (const map of store.maps.values()) {
    if (map.serviceSid !== serviceSid) continue;
    if (hasExpired(map, now)) store.maps.delete(map.sid);
    else maps.push(map);
  }
  return maps;
}

/** The Map's live Items in insertion order; expired ones are removed on the way. */
export function liveItems(map: SyncMapRecord, now: number): SyncMapItemRecord[] {
  const items: SyncMapItemRecord[] = [];
  for (const item of map.items.values()) {
    if (hasExpired(item, now)) map.items.delete(item.key);
    else items.push(item);
  }
  return items;
}

/** The live Item under `key`, or undefined (an expired one is removed). */
export function liveItem(map: SyncMapRecord, key: string, now: number): SyncMapItemRecord | undefined {
  const item = map.items.get(key);
  if (item && hasExpired(item, now)) {
    map.items.delete(key);
    return undefined;
  }
  return item;
}

/** Removes a Sync Service with its Maps (and so their Items). */
export function deleteSyncService(store: SyncStore, serviceSid: string): void {
  for (const map of [...store.maps.values()]) {
    if (map.serviceSid === serviceSid) store.maps.delete(map.sid);
  }
  store.services.delete(serviceSid);
}

/** An Item change is a change of its Map too: Sync bumps the Map's revision and date. */
export function touchMap(map: SyncMapRecord, now: number): void {
  map.revision += 1;
  map.dateUpdated = now;
}
