/**
 * What the store remembers of the sends to one destination, and the rules it enforces: the
 * cooldown between sends and a cap per code window, for every send whoever asks and whatever
 * became of the verification (a cancel or a new start does not reset it). Pure: the flow
 * (src/flows/send-lock.ts) reads and writes the record.
 */
import * as z from 'zod/mini';
import { AppError } from './app-error';
import { cooldownRemaining } from './send-schedule';

/** A code lives 10 minutes; the sends of one window are what the cap and cooldowns count. */
export const SEND_WINDOW_MS = 10 * 60 * 1000;
/** Sends to one destination per window, as Verify allows per verification (60203 after the 5th). */
export const MAX_SENDS_PER_WINDOW = 5;

export interface SendRecord {
  /** When each send of the window went out (ms, Verify's clock), oldest first. */
  sends: number[];
}

// Built on first use: a schema built at load is paid by every cold start of the bundle.
const buildRecordSchema = () => z.object({ sends: z.array(z.number()) });
let recordSchema: ReturnType<typeof buildRecordSchema> | undefined;

/** The record as stored, without the sends that left the window; unreadable reads as empty. */
export function readSendRecord(data: unknown, now: number): SendRecord {
  const parsed = (recordSchema ??= buildRecordSchema()).safeParse(data);
  return { sends: parsed.success ? parsed.data.sends.filter((at) => now - at < SEND_WINDOW_MS && at <= now + 5000) : [] };
}

/**
 * The record with one more send at `now`, or the error that refuses it: 429 max_send_attempts
 * once the window holds the cap (until its oldest send leaves it), 429 resend_too_soon while the
 * cooldown after the latest send runs — unless `early` (a switch after a failed send, decided
 * by the caller from Verify's delivery states).
 */
export function withSend(record: SendRecord, now: number, cooldowns: readonly number[], early: boolean): SendRecord {
  const { sends } = record;
  if (sends.length >= MAX_SENDS_PER_WINDOW) {
    throw new AppError('max_send_attempts', { retryAfter: Math.max(1, Math.ceil((sends[0] + SEND_WINDOW_MS - now) / 1000)) });
  }
  const wait = nextSendWait(record, now, cooldowns);
  if (wait > 0 && !early) throw new AppError('resend_too_soon', { retryAfter: wait });
  return { sends: [...sends, now] };
}

/** Whole seconds from `now` until the record allows its next send (the cooldown after its latest). */
export function nextSendWait(record: SendRecord, now: number, cooldowns: readonly number[]): number {
  return record.sends.length === 0 ? 0 : cooldownRemaining(record.sends.map((time) => ({ channel: undefined, time })), now, cooldowns);
}
