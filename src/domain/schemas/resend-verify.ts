import * as z from 'zod/mini';
import { channel, clientKey, country, fallbackDestinations, locale, verificationSid } from './fields';

export const resendVerifySchema = z.object({
  ...fallbackDestinations(),
  verificationSid: verificationSid(),
  /** Force a channel ("call me instead"); default: the next one in CHANNEL_FALLBACK. */
  channel: z.optional(channel()),
  locale: z.optional(locale()),
  country: z.optional(country()),
  clientKey: z.optional(clientKey()),
});
export type ResendVerifyInput = z.output<typeof resendVerifySchema>;
