import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import {
  BLOCKING_REFUSALS,
  nextSendWait,
  readSendHistory,
  readSendRecord,
  SEND_WINDOW_MS,
  withBlock,
  withSend,
  type BlockingRefusal,
  type SendRecord,
} from '../domain/send-record';
import { stateKey } from '../state/state-keys';
import type { StateStore } from '../state/state-store';
import { claimKey, type Claim } from './single-use';
import { rateLimitRefusal } from '../domain/rate-limits';
import { refusedBy } from '../verify/reached-rate-limit';
import * as z from 'zod/mini';

/** A claimed send: what to restore if no code goes out after all. */
export interface SendClaim {
  key: string;
  revision: string;
  /** Seconds until the destination's next send, counting this one (every caller's sends in the window). */
  nextWait: number;
  /** The record before the claim (undefined when the claim created it). */
  before?: SendRecord;
  /** The destination's latest send before this one, even one past the window. */
  previousSend?: number;
}

// The record outlives its window by a minute, so a slow clock cannot lose a send early.
const TTL_SECONDS = SEND_WINDOW_MS / 1000 + 60;
// Racing claims: each loss means someone else sent, so a re-read nearly always refuses at once.
const MAX_TRIES = 4;

/**
 * Claims the next send to `destination` before Verify is asked: the cooldown and the cap per
 * window hold for every send, however many requests race (one conditional write wins; the
 * others re-read the record and are refused with the wait) and across cancels and new starts.
 * A first send to a destination is a single create. `early` (a channel switch paid for by a
 * failed send, see spendFailedSend) skips the cooldown, never the cap.
 */
export async function claimSend(
  store: StateStore,
  config: Config,
  destination: string,
  now: number,
  early = false,
): Promise<SendClaim> {
  const key = stateKey(config, 'send', destination);
  const wait = (record: SendRecord) => nextSendWait(record, now, config.resendCooldowns);
  const first = withSend({ sends: [] }, now, config.resendCooldowns, false);
  const created = await store.create(key, first, TTL_SECONDS);
  if (created) return { key, revision: created.revision, nextWait: wait(first) };
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    const current = await store.get(key);
    if (!current) {
      const fresh = await store.create(key, first, TTL_SECONDS);
      if (fresh) return { key, revision: fresh.revision, nextWait: wait(first) };
    } else {
      const { record: before, latestSend } = readSendHistory(current.data, now);
      const after = withSend(before, now, config.resendCooldowns, early);
      const updated = await store.update(key, after, TTL_SECONDS, current.revision);
      if (updated)
        return {
          key,
          revision: updated.revision,
          before,
          nextWait: wait(after),
          previousSend: latestSend,
        };
    }
  }
  // Still contended after every try: someone is sending right now, so this one waits.
  throw new AppError('resend_too_soon', { retryAfter: config.resendCooldowns[0] ?? 30 });
}

// Refusals of the destination itself: a lockout, Verify's cap, its `destination` rate limit.
const isBlocking = (error: unknown): error is AppError & { code: BlockingRefusal; retryAfter: number } =>
  error instanceof AppError &&
  (BLOCKING_REFUSALS as readonly string[]).includes(error.code) &&
  (error.retryAfter ?? 0) > 0 &&
  (error.code !== 'rate_limited' || refusedBy(error) === 'destination');

/**
 * Gives a claimed send back when Verify did not confirm it (refused, failed, timed out), so a
 * refused number or an outage does not cost the person a cooldown: the next request may try at
 * once. Only while nobody claimed after us. A timed-out send that did go out can so be followed
 * by one more at once; Verify's own caps (and the rate limits) still count both.
 * Verify's refusals of the destination itself until a known time (a lockout, its cap) are kept
 * instead, so every later send is refused here with the same wait without asking Verify again.
 * Best effort: failing to give it back only makes the next wait longer.
 */
export async function releaseSend(store: StateStore, claim: SendClaim, error: unknown, now: number): Promise<void> {
  try {
    const before = claim.before ?? { sends: [] };
    if (isBlocking(error))
      await store.update(
        claim.key,
        withBlock(before, now, error.code, error.retryAfter, error.twilioCode),
        TTL_SECONDS,
        claim.revision,
      );
    else if (claim.before) await store.update(claim.key, claim.before, TTL_SECONDS, claim.revision);
    else await store.remove(claim.key, claim.revision);
  } catch {
    // The claim stands: stricter, never looser.
  }
}

/**
 * Keeps a lockout Verify announced on a check (the 5th wrong code, or 60202 after it) in the
 * destination's record, so starts during it are refused at once with the exact wait. Best
 * effort: without it, the first start is refused by Verify and recorded then (releaseSend).
 */
export async function recordLockout(
  store: StateStore,
  config: Config,
  destination: string,
  error: AppError,
  now: number,
): Promise<void> {
  if (!isBlocking(error)) return;
  const key = stateKey(config, 'send', destination);
  try {
    for (let tries = 0; tries < MAX_TRIES; tries += 1) {
      const current = await store.get(key);
      const blocked = withBlock(
        readSendRecord(current?.data, now),
        now,
        error.code,
        error.retryAfter,
        error.twilioCode,
      );
      if (
        current
          ? await store.update(key, blocked, TTL_SECONDS, current.revision)
          : await store.create(key, blocked, TTL_SECONDS)
      )
        return;
    }
  } catch {
    // Verify still refuses the sends itself.
  }
}

/**
 * Seconds until the destination's next send by its record (every caller's sends, a lockout, the
 * cap): what a refusal decided from Verify's attempts of one verification adds to its own wait,
 * so every answer states the schedule the claim will enforce. No record: 0.
 */
export async function destinationWait(
  store: StateStore,
  config: Config,
  destination: string,
  now: number,
): Promise<{ wait: number; record: SendRecord }> {
  const item = await store.get(stateKey(config, 'send', destination));
  const record = readSendRecord(item?.data, now);
  return { wait: nextSendWait(record, now, config.resendCooldowns), record };
}

/** A code was approved: the destination's owner is done, so their next verification need not wait. Best effort. */
export async function forgetSends(store: StateStore, config: Config, destination: string): Promise<void> {
  await store.remove(stateKey(config, 'send', destination)).catch(() => undefined);
}

/**
 * A failed send buys one early send: the first request to spend it (by its attempt SID, once for
 * every instance) may switch channel at once, every other one waits for the cooldown, so 25
 * switches at once after one failed SMS make one call. Given back when that request sends nothing.
 */
export function spendFailedSend(store: StateStore, config: Config, attemptSid: string): Promise<Claim> {
  return claimKey(store, stateKey(config, 'early', attemptSid), TTL_SECONDS);
}

/** The limits shared with other destinations that a send is metered by, with the value it is counted under. */
function sharedLimits(request: {
  prefix?: string;
  clientKey?: string;
}): Array<['phone_prefix' | 'client_key', string]> {
  const limits: Array<['phone_prefix' | 'client_key', string]> = [];
  if (request.prefix) limits.push(['phone_prefix', request.prefix]);
  if (request.clientKey) limits.push(['client_key', request.clientKey]);
  return limits;
}

const limitKey = (config: Config, name: string, value: string) => stateKey(config, 'limit', `${name}\u0000${value}`);
const buildBlockSchema = () => z.object({ until: z.number() });
let blockSchema: ReturnType<typeof buildBlockSchema> | undefined;

/**
 * Keeps a refusal by a limit shared with other destinations (the number's prefix, the caller's
 * clientKey) until it ends, so a start that would replace someone's pending code is refused
 * before that code is cancelled (assertSharedLimitsOpen). Best effort.
 */
export async function recordSharedLimit(
  store: StateStore,
  config: Config,
  error: unknown,
  request: { prefix?: string; clientKey?: string },
  now: number,
): Promise<void> {
  const name = refusedBy(error);
  const retryAfter = error instanceof AppError ? (error.retryAfter ?? 0) : 0;
  const limit = sharedLimits(request).find(([shared]) => shared === name);
  if (!limit || retryAfter <= 0) return;
  await store
    .create(limitKey(config, limit[0], limit[1]), { until: now + retryAfter * 1000 }, retryAfter + 1)
    .catch(() => undefined);
}

/**
 * Refuses, with the recorded wait, a send that a shared limit is known to refuse: checked before
 * a start cancels the pending code it replaces, so a stranger whose own clientKey (or the
 * prefix) is spent cannot cancel a person's code without a new one being sent.
 */
export async function assertSharedLimitsOpen(
  store: StateStore,
  config: Config,
  request: { prefix?: string; clientKey?: string },
  now: number,
): Promise<void> {
  const limits = sharedLimits(request);
  const items = await Promise.all(limits.map(([name, value]) => store.get(limitKey(config, name, value))));
  items.forEach((item, i) => {
    const parsed = (blockSchema ??= buildBlockSchema()).safeParse(item?.data);
    if (parsed.success && parsed.data.until > now) {
      throw rateLimitRefusal(limits[i][0], {
        twilioCode: 20429,
        retryAfter: Math.max(1, Math.ceil((parsed.data.until - now) / 1000)),
      });
    }
  });
}
