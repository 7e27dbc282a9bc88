/**
 * The one place the functions keep what must outlive a request: hosted Functions share no
 * memory between instances (and twilio-run forks a process per request), so send locks,
 * budgets and single-use records live in a store every instance sees. Two adapters:
 * Twilio Sync Map Items (`sync-store.ts`, production and the emulator) and an in-memory map
 * (`memory-store.ts`, for tests that run the handlers in one process).
 *
 * Every write is conditional, so concurrent requests serialise on the store: `create` succeeds
 * for one of any number of racing callers, `update` only for the caller that read the revision
 * it names. A caller that loses re-reads and decides again.
 */
export interface StoredItem {
  /** As written; readers validate it (the store is ours, but a schema costs nothing to keep honest). */
  data: unknown;
  /** Opaque: what `update` and `remove` name to be sure nobody wrote in between. */
  revision: string;
}

export interface StateStore {
  /** The item, or undefined when absent or past its TTL. */
  get(key: string): Promise<StoredItem | undefined>;
  /** Writes only when the key is absent: undefined when it exists (someone else created it first). */
  create(key: string, data: object, ttlSeconds: number): Promise<StoredItem | undefined>;
  /** Writes only when the item is still at `revision`: undefined when it changed or is gone. */
  update(key: string, data: object, ttlSeconds: number, revision: string): Promise<StoredItem | undefined>;
  /** Removes the item, only while it is at `revision` when one is given; absent is fine. */
  remove(key: string, revision?: string): Promise<void>;
  /** The store's clock (ms), the one its TTLs run on: windows kept in it are measured with this. */
  now(): number;
}

/** The name of the Sync Map (in SYNC_SERVICE_SID) that holds every item. */
export const STATE_MAP_NAME = 'verify-functions-state';
