import type { Config } from '../config';
import { STATE_MAP_NAME } from '../state/state-store';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';
import type * as z from 'zod/mini';
import type { createServiceResponse } from '../contract/responses';

/** The Sync Service (set SYNC_SERVICE_SID to its `sid`) and the Map that holds every record. */
export type EnsuredSync = z.output<ReturnType<typeof createServiceResponse>>['sync'];

const isNotFound = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 404;

/**
 * The Sync Service the functions keep their state in, and its Map, found or created so that
 * set-up run twice leaves one of each: SYNC_SERVICE_SID when it names a live service, else the
 * service with `friendlyName`, else a new one.
 */
export async function ensureSync(
  connection: VerifyConnection,
  config: Pick<Config, 'syncServiceSid'>,
  friendlyName: string,
): Promise<EnsuredSync> {
  const services = connection.client.sync.v1.services;
  try {
    let sid: string | undefined;
    if (config.syncServiceSid)
      sid = await services(config.syncServiceSid)
        .fetch()
        .then(
          (s) => s.sid,
          (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)),
        );
    sid ??= (await services.list({ pageSize: 100 })).find((s) => s.friendlyName === friendlyName)?.sid;
    const created = sid === undefined;
    sid ??= (await services.create({ friendlyName })).sid;
    const maps = services(sid).syncMaps;
    await maps(STATE_MAP_NAME)
      .fetch()
      .catch((err: unknown) => (isNotFound(err) ? maps.create({ uniqueName: STATE_MAP_NAME }) : Promise.reject(err)));
    return { sid, map: STATE_MAP_NAME, created };
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}
