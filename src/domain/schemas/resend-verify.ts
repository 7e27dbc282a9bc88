import * as z from 'zod/mini';
import { appHash, channel, clientKey, locale, strictParams, verification } from './fields';

/** Fallback destinations travel in the handle: a resend needs only the handle. */
export const resendVerifySchema = strictParams({
  verification: verification(),
  /** Force a channel ("call me instead"); default: the next one in CHANNEL_FALLBACK. */
  channel: z.optional(channel()),
  locale: z.optional(locale()),
  clientKey: z.optional(clientKey()),
  appHash: z.optional(appHash()),
});
export type ResendVerifyInput = z.output<typeof resendVerifySchema>;
