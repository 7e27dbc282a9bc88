import type { Twilio } from 'twilio';
import { AppError } from '../domain/app-error';
import { STATE_MAP_NAME, type StateStore, type StoredItem } from './state-store';

interface SyncItem {
  data: unknown;
  revision: string;
  dateExpires?: Date | null;
}

interface RestLike {
  status?: unknown;
  code?: unknown;
}

const restError = (err: unknown): RestLike => (typeof err === 'object' && err !== null ? (err as RestLike) : {});
const isCode = (err: unknown, code: number, status: number) =>
  restError(err).code === code || restError(err).status === status;
// 54208: an item with this key exists. 412 (54205 for a Map Item, 54103 for a Document): the
// revision named in If-Match is not the current one.
const exists = (err: unknown) => isCode(err, 54208, 409);
const conflict = (err: unknown) => isCode(err, 54205, 412);
const notFound = (err: unknown) => isCode(err, 20404, 404);

/**
 * Any other Sync failure: a store we cannot use fails closed. Bad credentials and a missing
 * Service or Map are the deployment's to fix (500 naming it); an outage, a timeout or Sync's
 * own rate limit (20429) is a 503 the caller may retry, with Sync's code kept for support.
 */
function storeFailure(err: unknown, retryAfter: () => number | undefined): AppError {
  const { status, code } = restError(err);
  const twilioCode = typeof code === 'number' ? code : undefined;
  if (status === 401 || status === 403 || twilioCode === 20003) {
    return new AppError('server_misconfigured', {
      twilioCode,
      message: 'Twilio refused the credentials for Sync (ACCOUNT_SID / AUTH_TOKEN).',
    });
  }
  if (status === 404) {
    return new AppError('server_misconfigured', {
      twilioCode,
      message: `SYNC_SERVICE_SID does not name a Sync Service with the Map ${STATE_MAP_NAME}: run POST /create-service to find or create them.`,
    });
  }
  return new AppError('state_unavailable', {
    twilioCode,
    retryAfter: status === 429 ? (retryAfter() ?? 1) : undefined,
  });
}

export interface SyncStoreOptions {
  /** Twilio's clock (the last answer's Date header, else ours): Sync's TTL is approximate, so expiry is also checked here. */
  now: () => number;
  /** Seconds from the last answer's Retry-After header. */
  retryAfter: () => number | undefined;
}

/**
 * The store on Twilio Sync: one Map Item per key in the Map STATE_MAP_NAME of `serviceSid`,
 * through the real SDK (locally the same calls reach the emulator). Twilio garbage-collects an
 * item "approximately" when its TTL passes, so an item past its `date_expires` reads as absent,
 * and a create that meets one removes it (at its revision) and tries once more.
 */
export function createSyncStore(client: Twilio, serviceSid: string, options: SyncStoreOptions): StateStore {
  const items = () => client.sync.v1.services(serviceSid).syncMaps(STATE_MAP_NAME).syncMapItems;
  const expired = (item: SyncItem) => item.dateExpires instanceof Date && item.dateExpires.getTime() <= options.now();
  const stored = (item: SyncItem): StoredItem => ({ data: item.data, revision: item.revision });
  const fail = (err: unknown) => storeFailure(err, options.retryAfter);

  async function fetchItem(key: string): Promise<SyncItem | undefined> {
    try {
      return (await items()(key).fetch()) as SyncItem;
    } catch (err) {
      if (notFound(err)) return undefined;
      throw fail(err);
    }
  }

  // The Map is made on first use when /create-service has not made it: a 404 on create means it
  // (or the whole service) is missing, and only a missing service stays an error.
  async function createMap(): Promise<void> {
    await client.sync.v1
      .services(serviceSid)
      .syncMaps.create({ uniqueName: STATE_MAP_NAME })
      .catch((err: unknown) => {
        if (restError(err).status !== 409) throw fail(err);
      });
  }

  // `madeMap` and `clearedExpired`: each repair is tried once, so a create never loops.
  async function create(
    key: string,
    data: object,
    ttlSeconds: number,
    madeMap = false,
    clearedExpired = false,
  ): Promise<StoredItem | undefined> {
    try {
      return stored((await items().create({ key, data, itemTtl: ttlSeconds })) as SyncItem);
    } catch (err) {
      if (notFound(err) && !madeMap) {
        await createMap();
        return create(key, data, ttlSeconds, true, clearedExpired);
      }
      if (!exists(err)) throw fail(err);
    }
    if (clearedExpired) return undefined;
    // The key exists: live means someone else won; past its expiry means Sync has not collected it yet.
    const current = await fetchItem(key);
    if (current && !expired(current)) return undefined;
    if (current) await remove(key, current.revision);
    return create(key, data, ttlSeconds, madeMap, true);
  }

  async function remove(key: string, revision?: string): Promise<void> {
    try {
      await items()(key).remove(revision !== undefined ? { ifMatch: revision } : {});
    } catch (err) {
      if (!notFound(err) && !conflict(err)) throw fail(err);
    }
  }

  return {
    async get(key) {
      const item = await fetchItem(key);
      return item && !expired(item) ? stored(item) : undefined;
    },
    create: (key, data, ttlSeconds) => create(key, data, ttlSeconds),
    async update(key, data, ttlSeconds, revision) {
      try {
        return stored((await items()(key).update({ data, itemTtl: ttlSeconds, ifMatch: revision })) as SyncItem);
      } catch (err) {
        if (conflict(err) || notFound(err)) return undefined;
        throw fail(err);
      }
    },
    remove,
    now: options.now,
  };
}
