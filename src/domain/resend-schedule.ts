import * as z from 'zod/mini';
import { resolveChannel, type Channel } from './channels';
import { cooldownAfter, nextFallbackChannel } from './channel-order';

/** A send attempt as Verify lists it in `send_code_attempts` (channel casing varies). */
const attemptsSchema = z.array(z.looseObject({ time: z.string(), channel: z.string() }));

export interface SendAttempt {
  channel: Channel | undefined;
  /** ms since epoch */
  time: number;
}

/**
 * Reads Verify's attempts defensively: anything unreadable is simply not counted. Attempt
 * times carry milliseconds but `now` (Verify's Date header) only whole seconds: times are
 * compared at the header's resolution, or every wait would read up to a second too long.
 */
export function readAttempts(raw: unknown): SendAttempt[] {
  const parsed = attemptsSchema.safeParse(raw);
  if (!parsed.success) return [];
  return parsed.data.map((a) => ({ channel: resolveChannel(a.channel), time: Math.floor(Date.parse(a.time) / 1000) * 1000 }));
}

export interface ResendPolicy {
  channelFallback: readonly Channel[];
  resendCooldowns: readonly number[];
}

export interface ResendSchedule {
  /** Whole seconds until a resend is allowed (0 = now). */
  retryAfter: number;
  /** The channel a resend would use, if the order has one we can reach. */
  nextChannel?: Channel;
}

/** Whole seconds until the next send to this destination may go out (0 = now), on `now`'s clock. */
export function cooldownRemaining(attempts: readonly SendAttempt[], now: number, cooldowns: readonly number[]): number {
  const last = attempts[attempts.length - 1];
  const cooldown = cooldownAfter(Math.max(attempts.length, 1), cooldowns);
  const since = last && Number.isFinite(last.time) ? (now - last.time) / 1000 : 0;
  return Math.max(0, Math.ceil(cooldown - since));
}

/**
 * When the next code may go out, and on which channel, given what was sent so far.
 * State lives in the verification itself, so the functions stay stateless.
 */
export function resendSchedule(
  attempts: readonly SendAttempt[],
  currentChannel: Channel,
  now: number,
  policy: ResendPolicy,
  canReach: (channel: Channel) => boolean,
): ResendSchedule {
  const last = attempts[attempts.length - 1];
  const retryAfter = cooldownRemaining(attempts, now, policy.resendCooldowns);
  return { retryAfter, nextChannel: nextFallbackChannel(policy.channelFallback, last?.channel ?? currentChannel, canReach) };
}
