import { isPhoneChannel, resolveChannel, type Channel } from './channels';

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

/** The wait before the next resend once `sentCount` codes have gone out. */
export function cooldownAfter(sentCount: number, cooldowns: readonly number[]): number {
  if (cooldowns.length === 0) return 0;
  return cooldowns[Math.min(Math.max(sentCount - 1, 0), cooldowns.length - 1)];
}

/** Which channels we have a destination for: phone channels need a number, email an address. */
export function reachableChannels(destinations: { phone?: string; email?: string }): (channel: Channel) => boolean {
  return (channel) => (isPhoneChannel(channel) ? destinations.phone !== undefined : destinations.email !== undefined);
}

/**
 * The channel after `current` in the order that we can reach, or undefined at the end.
 * A channel outside the order (e.g. the first send was whatsapp) starts at the beginning.
 */
export function nextFallbackChannel(order: readonly Channel[], current: Channel, canReach: (c: Channel) => boolean): Channel | undefined {
  const start = order.indexOf(current) + 1;
  return order.slice(start).find((c) => c !== current && canReach(c));
}
