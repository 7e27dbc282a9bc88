import type { AppError } from '../domain/app-error';
import { addUse, currentCounts, longestWindow, type UsageLimit } from '../domain/usage-windows';
import type { StateStore } from '../state/state-store';

// Racing requests to one key serialise on the store's revision; a loser re-reads and counts again.
const MAX_TRIES = 8;
const backoff = (tries: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 15 * tries));

/**
 * Counts one use of `key` against every limit, for all instances at once: over any of them it
 * throws `refusal(retryAfter)`. Each use is one conditional write (a first one a create), so
 * concurrent requests cannot each see the last free slot. A key too contended to write after
 * every try is refused too (fail closed): the requests racing for it are the flood the limit is for.
 */
export async function meterUse(
  store: StateStore,
  key: string,
  limits: readonly UsageLimit[],
  refusal: (retryAfter: number) => AppError,
): Promise<void> {
  const ttl = longestWindow(limits) + 60;
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    // Read first, also for a key never used: the store's clock is then the one its answer
    // carried (Twilio's), the clock every instance measures the window on.
    const current = await store.get(key);
    const now = store.now();
    const next = addUse(currentCounts(current?.data, limits, now), limits, now);
    if ('retryAfter' in next) throw refusal(Math.max(1, next.retryAfter));
    const written = current
      ? await store.update(key, next.counts, ttl, current.revision)
      : await store.create(key, next.counts, ttl);
    if (written) return;
    await backoff(tries + 1);
  }
  throw refusal(1);
}
