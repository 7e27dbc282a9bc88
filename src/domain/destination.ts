import * as z from 'zod/mini';
import { AppError } from './app-error';
import { isPhoneChannel, type Channel } from './channels';
import { isEmailAddress } from './destination-kind';
import type { DestinationPolicy } from './destination-policy';
import { emailDestination, phoneDestination, type Destination } from './known-destination';
import { normalizePhoneNumber } from './phone';

export type { Destination } from './known-destination';

// Built on first use: most sends are to phone numbers, and every schema built at load is
// paid by each cold start.
let emailSchema: z.ZodMiniEmail | undefined;
const isEmail = (address: string) => (emailSchema ??= z.email()).safeParse(address).success;

/** Trims and lower-cases an email address, before Verify, caps and masking see it. */
function normalizeEmail(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * Checks that `to` suits the channel (and, with a policy, that we may send there) and puts
 * it in the form Verify expects.
 */
export function resolveDestination(
  to: string,
  channel: Channel,
  country?: string,
  policy?: DestinationPolicy,
  field = 'to',
): Destination {
  if (!isPhoneChannel(channel)) {
    // One mailbox, one destination: caps, cooldowns and masks must not see `Jane@X.com` and
    // `jane@x.com` as two. (Local parts are case-sensitive on paper; no mail service treats them so.)
    const address = normalizeEmail(to);
    if (!isEmail(address)) {
      throw new AppError('invalid_email', { field, message: `\`${field}\` is not a valid email address.` });
    }
    return emailDestination(address);
  }
  const phone = normalizePhoneNumber(to, country, field);
  return phoneDestination(phone.e164, phone, channel, policy, field);
}

/** `to` as a person typed it where either kind is taken: an email address, or a phone number (national with `country`). */
export function resolveEitherDestination(to: string, country?: string): Destination {
  return resolveDestination(to, isEmailAddress(to) ? 'email' : 'sms', country);
}
