import type { RouteContext } from '../../context';
import type { Route } from '../../router';
import { newSid } from '../../sids';
import { syncError } from '../errors';
import { findMap, requireMap, requireSyncService } from '../lookups';
import { expiryFor, syncPage, ttlOf, uniqueNameParam } from '../params';
import { syncMapJson } from '../representations';
import { liveMaps, touchMap, type SyncMapRecord } from '../store';

const render = (context: RouteContext) => (map: SyncMapRecord) => syncMapJson(map, context.state.config.accountSid);

/** `CollectionTtl`, or its alias `Ttl` (ignored when both are given). */
const collectionTtl = (form: Readonly<Record<string, string>>) => ttlOf(form, 'CollectionTtl', 'Ttl');

export const syncMapRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/Services/:ServiceSid/Maps',
    handle(context) {
      const service = requireSyncService(context);
      const uniqueName = uniqueNameParam(context.form);
      const ttl = collectionTtl(context.form);
      // Unique among the service's live objects; a Map whose TTL ran out has given its name up.
      if (uniqueName !== undefined && findMap(context, service, uniqueName)) throw syncError('uniqueNameExists');
      const now = context.state.clock.now();
      const map: SyncMapRecord = {
        sid: newSid('MP'),
        serviceSid: service.sid,
        uniqueName: uniqueName ?? null,
        revision: 0,
        expiresAt: ttl === undefined ? null : expiryFor(ttl, now),
        dateCreated: now,
        dateUpdated: now,
        items: new Map(),
      };
      context.state.store.sync.maps.set(map.sid, map);
      return { status: 201, body: render(context)(map) };
    },
  },
  {
    method: 'GET',
    path: '/v1/Services/:ServiceSid/Maps',
    handle(context) {
      const service = requireSyncService(context);
      return syncPage(
        context,
        'maps',
        liveMaps(context.state.store.sync, service.sid, context.state.clock.now()),
        render(context),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/Services/:ServiceSid/Maps/:Sid',
    handle: (context) => ({ status: 200, body: render(context)(requireMap(context, 'Sid')) }),
  },
  {
    method: 'POST',
    path: '/v1/Services/:ServiceSid/Maps/:Sid',
    handle(context) {
      const map = requireMap(context, 'Sid');
      const ttl = collectionTtl(context.form);
      if (ttl === undefined) throw syncError('noParameters');
      const now = context.state.clock.now();
      // A new TTL counts from now; Sync never moves it on its own.
      map.expiresAt = expiryFor(ttl, now);
      touchMap(map, now);
      return { status: 200, body: render(context)(map) };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/Services/:ServiceSid/Maps/:Sid',
    handle(context) {
      context.state.store.sync.maps.delete(requireMap(context, 'Sid').sid);
      return { status: 204 };
    },
  },
];
