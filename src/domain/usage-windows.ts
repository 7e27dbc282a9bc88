/**
 * Fixed-window counters: how many times something was done in the current window of each
 * length, and whether one more fits. Pure: the flow (src/flows/usage-meter.ts) keeps the
 * counts in the store. A fixed window lets at most twice its limit through in any span of its
 * length (the end of one window and the start of the next); the limits are chosen with that.
 */
import * as z from 'zod/mini';

export interface UsageLimit {
  /** Window length in seconds. */
  seconds: number;
  limit: number;
}

export interface UsageCounts {
  /** Per limit, in the same order: when its current window started (ms) and the count in it. */
  windows: Array<{ start: number; count: number }>;
}

// Built on first use: a schema built at load is paid by every cold start of the bundle.
const buildCountsSchema = () => z.object({ windows: z.array(z.object({ start: z.number(), count: z.number() })) });
let countsSchema: ReturnType<typeof buildCountsSchema> | undefined;

/** The counts as stored, each window restarted when it is over (or unreadable). */
export function currentCounts(data: unknown, limits: readonly UsageLimit[], now: number): UsageCounts {
  const parsed = (countsSchema ??= buildCountsSchema()).safeParse(data);
  const stored = parsed.success ? parsed.data.windows : [];
  return {
    windows: limits.map((limit, i) => {
      const w = stored[i];
      return w && w.start <= now && now - w.start < limit.seconds * 1000 ? w : { start: now, count: 0 };
    }),
  };
}

/** The counts with one more use, or the whole seconds until the first full window ends. */
export function addUse(
  counts: UsageCounts,
  limits: readonly UsageLimit[],
  now: number,
): { counts: UsageCounts } | { retryAfter: number } {
  let retryAfter = 0;
  counts.windows.forEach((w, i) => {
    if (w.count >= limits[i].limit)
      retryAfter = Math.max(retryAfter, Math.ceil((w.start + limits[i].seconds * 1000 - now) / 1000));
  });
  if (retryAfter > 0) return { retryAfter };
  return { counts: { windows: counts.windows.map((w) => ({ start: w.start, count: w.count + 1 })) } };
}

/** Seconds the longest window needs to be kept. */
export const longestWindow = (limits: readonly UsageLimit[]) => Math.max(...limits.map((l) => l.seconds));
