/**
 * What the store remembers of the sends to one destination, and the rules it enforces: the
 * cooldown between sends and a cap per code window, for every send whoever asks and whatever
 * became of the verification (a cancel or a new start does not reset it). Pure: the flow
 * (src/flows/send-lock.ts) reads and writes the record.
 */
import * as z from 'zod/mini';
import { AppError } from './app-error';
import { rateLimitRefusal } from './rate-limits';
import { cooldownRemaining } from './send-schedule';

/** A code lives 10 minutes; the sends of one window are what the cap and cooldowns count. */
export const SEND_WINDOW_MS = 10 * 60 * 1000;
/** Sends to one destination per window, as Verify allows per verification (60203 after the 5th). */
const MAX_SENDS_PER_WINDOW = 5;

/**
 * Verify's refusals that hold for the destination itself until a known time: 60202, 60203, and
 * its `destination` rate limit (20429 naming it).
 */
export const BLOCKING_REFUSALS = ['max_check_attempts', 'max_send_attempts', 'rate_limited'] as const;
export type BlockingRefusal = (typeof BLOCKING_REFUSALS)[number];

interface SendBlock {
  /** Until when (ms, Verify's clock) Verify refuses sends to the destination. */
  until: number;
  code: BlockingRefusal;
  twilioCode?: number;
}

export interface SendRecord {
  /** When each send of the window went out (ms, Verify's clock), oldest first. */
  sends: number[];
  /**
   * Verify refuses every send to the destination until then (a lockout after 5 wrong codes, or
   * its own cap): refused here without asking Verify, so a stranger's starts during a lockout
   * cost nothing at Verify (no rate-limit bucket fills with refused sends).
   */
  block?: SendBlock;
}

// Built on first use: a schema built at load is paid by every cold start of the bundle.
const buildRecordSchema = () =>
  z.object({
    sends: z.array(z.number()),
    block: z.optional(
      z.object({ until: z.number(), code: z.enum(BLOCKING_REFUSALS), twilioCode: z.optional(z.number()) }),
    ),
  });
let recordSchema: ReturnType<typeof buildRecordSchema> | undefined;

/**
 * The record as stored, without the sends that left the window or a block that ended, and the
 * latest send it holds even past the window (the record outlives it by a minute); unreadable
 * reads as empty.
 */
export function readSendHistory(data: unknown, now: number): { record: SendRecord; latestSend?: number } {
  const parsed = (recordSchema ??= buildRecordSchema()).safeParse(data);
  if (!parsed.success) return { record: { sends: [] } };
  const { sends: stored, block } = parsed.data;
  const sends = stored.filter((at) => now - at < SEND_WINDOW_MS && at <= now + 5000);
  return { record: block && block.until > now ? { sends, block } : { sends }, latestSend: stored.at(-1) };
}

/** The record as stored, without the sends that left the window or a block that ended. */
export const readSendRecord = (data: unknown, now: number): SendRecord => readSendHistory(data, now).record;

const secondsUntil = (time: number, now: number) => Math.max(1, Math.ceil((time - now) / 1000));

/** The record with Verify's refusal kept until it ends (`retryAfter` seconds from `now`). */
export function withBlock(
  record: SendRecord,
  now: number,
  code: BlockingRefusal,
  retryAfter: number,
  twilioCode?: number,
): SendRecord {
  const until = Math.max(now + retryAfter * 1000, record.block?.until ?? 0);
  return { sends: record.sends, block: { until, code, ...(twilioCode !== undefined ? { twilioCode } : {}) } };
}

/**
 * The record with one more send at `now`, or the error that refuses it: 429 max_send_attempts
 * once the window holds the cap (until its oldest send leaves it), 429 resend_too_soon while the
 * cooldown after the latest send runs — unless `early` (a switch after a failed send, decided
 * by the caller from Verify's delivery states).
 */
export function withSend(record: SendRecord, now: number, cooldowns: readonly number[], early: boolean): SendRecord {
  const refusal = heldRefusal(record, now, early ? undefined : cooldowns);
  if (refusal) throw refusal;
  const wait = cooldownWait(record, now, cooldowns);
  if (wait > 0 && !early) throw new AppError('resend_too_soon', { retryAfter: wait });
  return { sends: [...record.sends, now] };
}

/**
 * What the record refuses whatever the cooldowns: a block until it ends, the cap until the
 * window's oldest send leaves it. With `cooldowns` (a caller the cooldown applies to), the wait
 * it states is until the next send is allowed at all: the cooldown after the latest send may
 * outlast the cap's window.
 */
export function heldRefusal(record: SendRecord, now: number, cooldowns?: readonly number[]): AppError | undefined {
  const { sends, block } = record;
  const atLeast = (seconds: number) => Math.max(seconds, cooldowns ? cooldownWait(record, now, cooldowns) : 0);
  if (block && block.until > now) {
    const details = { twilioCode: block.twilioCode, retryAfter: atLeast(secondsUntil(block.until, now)) };
    return block.code === 'rate_limited' ? rateLimitRefusal('destination', details) : new AppError(block.code, details);
  }
  if (sends.length >= MAX_SENDS_PER_WINDOW)
    return new AppError('max_send_attempts', { retryAfter: atLeast(secondsUntil(sends[0] + SEND_WINDOW_MS, now)) });
  return undefined;
}

function cooldownWait(record: SendRecord, now: number, cooldowns: readonly number[]): number {
  return record.sends.length === 0
    ? 0
    : cooldownRemaining(
        record.sends.map((time) => ({ channel: undefined, time })),
        now,
        cooldowns,
      );
}

/**
 * Whole seconds from `now` until the record allows its next send: the cooldown after its latest
 * send, the cap's window, or a block, whichever ends last. The one schedule every answer states.
 */
export function nextSendWait(record: SendRecord, now: number, cooldowns: readonly number[]): number {
  const waits = [cooldownWait(record, now, cooldowns)];
  if (record.block && record.block.until > now) waits.push(secondsUntil(record.block.until, now));
  if (record.sends.length >= MAX_SENDS_PER_WINDOW) waits.push(secondsUntil(record.sends[0] + SEND_WINDOW_MS, now));
  return Math.max(...waits);
}
