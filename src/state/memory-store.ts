import type { StateStore, StoredItem } from './state-store';

interface Entry {
  json: string;
  revision: number;
  expiresAt: number;
}

/**
 * The store in one process's memory, with the same conditional semantics as the Sync adapter.
 * Only for handlers run in one process (tests, benchmarks): a deployment has one per instance,
 * which is exactly the state that does not hold. Each call yields to the event loop first, as a
 * round trip would, so racing callers interleave as they do against Sync.
 */
export function createMemoryStore(now: () => number = Date.now): StateStore & { size(): number } {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const item = (entry: Entry): StoredItem => ({
    data: JSON.parse(entry.json) as unknown,
    revision: String(entry.revision),
  });
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async get(key) {
      await tick();
      const entry = live(key);
      return entry ? item(entry) : undefined;
    },
    async create(key, data, ttlSeconds) {
      await tick();
      if (live(key)) return undefined;
      const entry = { json: JSON.stringify(data), revision: 0, expiresAt: now() + ttlSeconds * 1000 };
      entries.set(key, entry);
      return item(entry);
    },
    async update(key, data, ttlSeconds, revision) {
      await tick();
      const entry = live(key);
      if (!entry || String(entry.revision) !== revision) return undefined;
      const next = { json: JSON.stringify(data), revision: entry.revision + 1, expiresAt: now() + ttlSeconds * 1000 };
      entries.set(key, next);
      return item(next);
    },
    async remove(key, revision) {
      await tick();
      const entry = live(key);
      if (entry && (revision === undefined || String(entry.revision) === revision)) entries.delete(key);
    },
    now,
    size: () => entries.size,
  };
}
