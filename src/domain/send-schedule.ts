/**
 * When the next code may go out to a destination, and on which channel: the cooldowns between
 * sends and the fallback order. Pure: the state is Verify's own list of send attempts, so the
 * functions stay stateless. The flows (src/flows/send-code.ts, pending.ts) feed it Verify's answers.
 */
import * as z from 'zod/mini';
import { isPhoneChannel, resolveChannel, type Channel } from './channels';
import type { PhoneFacts } from './destination-policy';

/** Vonage-style ordered fallback: each resend moves one step along this list. */
export const DEFAULT_CHANNEL_FALLBACK: readonly Channel[] = ['sms', 'call', 'email'];
/** Seconds a person must wait before the 1st, 2nd, … resend; the last value repeats. */
export const DEFAULT_RESEND_COOLDOWNS: readonly number[] = [30, 40, 60, 90, 120];

/** Parses `sms,call,email`; unknown names make the whole setting invalid (returns undefined). */
export function parseChannelOrder(value: string): Channel[] | undefined {
  const channels = value.split(',').map((name) => resolveChannel(name));
  if (channels.length === 0 || channels.some((c) => c === undefined)) return undefined;
  return [...new Set(channels as Channel[])];
}

/** Parses `30,40,60`; every value must be a whole number of seconds from 0 to 3600. */
export function parseCooldowns(value: string): number[] | undefined {
  const numbers = value.split(',').map((v) => Number(v.trim()));
  return numbers.length > 0 && numbers.every((n) => Number.isInteger(n) && n >= 0 && n <= 3600) ? numbers : undefined;
}

/** Where we could send a code: the caller's number (with what its check found) and/or email address. */
export interface Reachability {
  phone?: string;
  /** The number's country and type, so a later send re-checks it for its channel without parsing it. */
  phoneFacts?: PhoneFacts;
  email?: string;
}

/** A verification's reach: the destinations offered for fallback, plus its own (`to` on `channel`). */
export function reachWith(
  offered: Reachability,
  channel: Channel,
  own: { to: string; phoneFacts?: PhoneFacts },
): Reachability {
  return isPhoneChannel(channel)
    ? { phone: own.to, phoneFacts: own.phoneFacts, email: offered.email }
    : { phone: offered.phone, phoneFacts: offered.phoneFacts, email: own.to };
}

/** Which channels we have a destination for: phone channels need a number, email an address. */
export function reachableChannels(destinations: Reachability): (channel: Channel) => boolean {
  return (channel) => (isPhoneChannel(channel) ? destinations.phone !== undefined : destinations.email !== undefined);
}

/**
 * The channel after `current` in the order that we can reach, or undefined at the end.
 * A channel outside the order (e.g. the first send was whatsapp) starts at the beginning.
 */
export function nextFallbackChannel(
  order: readonly Channel[],
  current: Channel,
  canReach: (c: Channel) => boolean,
): Channel | undefined {
  const start = order.indexOf(current) + 1;
  return order.slice(start).find((c) => c !== current && canReach(c));
}

export interface SendAttempt {
  channel: Channel | undefined;
  /** ms since epoch */
  time: number;
}

// Built on first use: config.ts (in every function) imports this module for its parsers.
const buildAttemptsSchema = () => z.array(z.looseObject({ time: z.string(), channel: z.string() }));
let attemptsSchema: ReturnType<typeof buildAttemptsSchema> | undefined;

/**
 * Reads Verify's `send_code_attempts` defensively (channel casing varies): anything unreadable
 * is simply not counted. Attempt times carry milliseconds but `now` (Verify's Date header) only
 * whole seconds: times are compared at the header's resolution, or every wait would read up to
 * a second too long.
 */
export function readAttempts(raw: unknown): SendAttempt[] {
  const parsed = (attemptsSchema ??= buildAttemptsSchema()).safeParse(raw);
  if (!parsed.success) return [];
  return parsed.data.map((a) => ({
    channel: resolveChannel(a.channel),
    time: Math.floor(Date.parse(a.time) / 1000) * 1000,
  }));
}

/** The wait before the next send once `sentCount` codes have gone out. */
function cooldownAfter(sentCount: number, cooldowns: readonly number[]): number {
  if (cooldowns.length === 0) return 0;
  return cooldowns[Math.min(Math.max(sentCount - 1, 0), cooldowns.length - 1)];
}

/** Whole seconds until the next send to this destination may go out (0 = now), on `now`'s clock. */
export function cooldownRemaining(attempts: readonly SendAttempt[], now: number, cooldowns: readonly number[]): number {
  const last = attempts[attempts.length - 1];
  const cooldown = cooldownAfter(Math.max(attempts.length, 1), cooldowns);
  const since = last && Number.isFinite(last.time) ? (now - last.time) / 1000 : 0;
  return Math.max(0, Math.ceil(cooldown - since));
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

/** When the next code may go out, and on which channel, given what was sent so far. */
export function resendSchedule(
  attempts: readonly SendAttempt[],
  currentChannel: Channel,
  now: number,
  policy: ResendPolicy,
  canReach: (channel: Channel) => boolean,
): ResendSchedule {
  const last = attempts[attempts.length - 1];
  const retryAfter = cooldownRemaining(attempts, now, policy.resendCooldowns);
  return {
    retryAfter,
    nextChannel: nextFallbackChannel(policy.channelFallback, last?.channel ?? currentChannel, canReach),
  };
}
