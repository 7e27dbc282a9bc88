import { callingCodeOf } from './calling-code';
import type { Channel } from './channels';
import { maskEmail, maskPhoneNumber } from './mask';
import { assertPhoneAllowed, type DestinationPolicy, type PhoneFacts } from './destination-policy';

/**
 * A destination already normalised and checked: what a send needs, named safely for logs. Built
 * here, apart from parsing (destination.ts), so a route that sends to a destination sealed in a
 * handle at start (/resend-verify) re-checks it for the channel it now uses without bundling
 * libphonenumber: start sealed the number's country and type with it.
 */
export interface Destination {
  /** What Verify gets: E.164 for phone channels, the address for email. */
  to: string;
  /** Safe for logs and responses. */
  masked: string;
  /** For phone numbers: the number without its last 4 digits, metered against pumping. */
  prefix?: string;
  /** For phone numbers: what the destination policy reads, kept for later sends. */
  phoneFacts?: PhoneFacts;
}

/** A normalised E.164 number with its facts, checked against the policy for `channel`. */
export function phoneDestination(
  e164: string,
  facts: PhoneFacts,
  channel: Channel,
  policy: DestinationPolicy | undefined,
  field = 'to',
): Destination {
  if (policy) assertPhoneAllowed(facts, channel, policy, field);
  return {
    to: e164,
    masked: maskPhoneNumber(e164, callingCodeOf(e164)),
    prefix: e164.slice(0, -4),
    phoneFacts: { ...(facts.country !== undefined ? { country: facts.country } : {}), type: facts.type },
  };
}

/** A normalised email address. */
export const emailDestination = (address: string): Destination => ({ to: address, masked: maskEmail(address) });
