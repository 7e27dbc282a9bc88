import { VERIFY_CHANNELS, type VerifyChannel } from '../../twilio-facts/verify-channels';

/** Delivery channels as Verify names them. `voice` is accepted as a friendly alias of `call`. */
export const CHANNELS = VERIFY_CHANNELS;
export type Channel = VerifyChannel;

export const CHANNEL_ALIASES: Readonly<Record<string, Channel>> = { voice: 'call' };

/** Channels whose destination is a phone number (everything but email). */
export function isPhoneChannel(channel: Channel): boolean {
  return channel !== 'email';
}

/** Resolves a caller's channel name (case-insensitive, aliases allowed) to Verify's name. */
export function resolveChannel(name: string): Channel | undefined {
  const lower = name.trim().toLowerCase();
  const aliased = CHANNEL_ALIASES[lower] ?? lower;
  return (CHANNELS as readonly string[]).includes(aliased) ? (aliased as Channel) : undefined;
}
