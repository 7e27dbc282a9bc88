import type { RouteContext } from '../../context';
import type { ApiResult, Route } from '../../router';
import { syncError } from '../errors';
import { checkRevision, requireItem, requireMap } from '../lookups';
import { dataParam, expiryFor, keyParam, syncPage, ttlOf, ttlParam } from '../params';
import { syncMapItemJson } from '../representations';
import { liveItem, liveItems, touchMap, type SyncMapItemRecord, type SyncMapRecord } from '../store';

const ITEMS = '/v1/Services/:ServiceSid/Maps/:MapSid/Items';

/** An Item answer: the body, and its revision as ETag (Twilio's, for the next If-Match). */
function itemResult(context: RouteContext, status: number, item: SyncMapItemRecord, map: SyncMapRecord): ApiResult {
  return {
    status,
    body: syncMapItemJson(item, map, context.state.config.accountSid),
    headers: { etag: String(item.revision) },
  };
}

/** `ItemTtl`, or its alias `Ttl` (ignored when both are given). */
const itemTtl = (form: Readonly<Record<string, string>>) => ttlOf(form, 'ItemTtl', 'Ttl');

/** `CollectionTtl` on an Item call sets the parent Map's TTL, from now. */
function applyCollectionTtl(map: SyncMapRecord, ttl: number | undefined, now: number): void {
  if (ttl !== undefined) map.expiresAt = expiryFor(ttl, now);
}

/** The list's key range and order: lexicographic by key, `From` inclusive unless `Bounds=exclusive`. */
function listedItems(context: RouteContext, map: SyncMapRecord): { items: SyncMapItemRecord[]; filters: string } {
  const { query } = context;
  const order = query.get('Order') ?? 'asc';
  const bounds = query.get('Bounds') ?? 'inclusive';
  if (order !== 'asc' && order !== 'desc') throw syncError('invalidParameter', 'Invalid parameter: Order');
  if (bounds !== 'inclusive' && bounds !== 'exclusive')
    throw syncError('invalidParameter', 'Invalid parameter: Bounds');
  const from = query.get('From');
  const ascending = order === 'asc';
  const items = liveItems(map, context.state.clock.now())
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (ascending ? 1 : -1))
    .filter((item) => {
      if (from === null) return true;
      // "From" is where the walk starts: keys after it in the list's order.
      const after = ascending ? item.key > from : item.key < from;
      return after || (bounds === 'inclusive' && item.key === from);
    });
  const filters = new URLSearchParams();
  for (const name of ['From', 'Bounds', 'Order']) {
    const value = query.get(name);
    if (value !== null) filters.set(name, value);
  }
  return { items, filters: filters.toString() };
}

export const syncMapItemRoutes: Route[] = [
  {
    method: 'POST',
    path: ITEMS,
    handle(context) {
      const map = requireMap(context, 'MapSid');
      const key = keyParam(context.form);
      const data = dataParam(context.form, true) ?? {};
      const ttl = itemTtl(context.form);
      const mapTtl = ttlParam(context.form, 'CollectionTtl');
      const now = context.state.clock.now();
      if (liveItem(map, key, now)) throw syncError('mapItemExists');
      applyCollectionTtl(map, mapTtl, now);
      const item: SyncMapItemRecord = {
        key,
        data,
        revision: 0,
        expiresAt: ttl === undefined ? null : expiryFor(ttl, now),
        dateCreated: now,
        dateUpdated: now,
      };
      map.items.set(key, item);
      touchMap(map, now);
      return itemResult(context, 201, item, map);
    },
  },
  {
    method: 'GET',
    path: ITEMS,
    handle(context) {
      const map = requireMap(context, 'MapSid');
      const { items, filters } = listedItems(context, map);
      const accountSid = context.state.config.accountSid;
      return syncPage(context, 'items', items, (item) => syncMapItemJson(item, map, accountSid), filters);
    },
  },
  {
    method: 'GET',
    path: `${ITEMS}/:Key`,
    handle(context) {
      const map = requireMap(context, 'MapSid');
      return itemResult(context, 200, requireItem(context, map), map);
    },
  },
  {
    method: 'POST',
    path: `${ITEMS}/:Key`,
    handle(context) {
      const map = requireMap(context, 'MapSid');
      const item = requireItem(context, map);
      const data = dataParam(context.form, false);
      const ttl = itemTtl(context.form);
      const mapTtl = ttlParam(context.form, 'CollectionTtl');
      // CollectionTtl counts only beside Data or a TTL ("can only be used when data or ttl is updated").
      if (data === undefined && ttl === undefined)
        throw syncError('noParameters', "No parameters specified: expected 'Data', 'ItemTtl' or 'Ttl'");
      checkRevision(context, item);
      const now = context.state.clock.now();
      applyCollectionTtl(map, mapTtl, now);
      item.data = data ?? item.data;
      // Without a new TTL the expiry stays where it was (Sync's TTL never advances by itself).
      if (ttl !== undefined) item.expiresAt = expiryFor(ttl, now);
      item.revision += 1;
      item.dateUpdated = now;
      touchMap(map, now);
      return itemResult(context, 200, item, map);
    },
  },
  {
    method: 'DELETE',
    path: `${ITEMS}/:Key`,
    handle(context) {
      const map = requireMap(context, 'MapSid');
      const item = requireItem(context, map);
      checkRevision(context, item);
      map.items.delete(item.key);
      touchMap(map, context.state.clock.now());
      return { status: 204 };
    },
  },
];
