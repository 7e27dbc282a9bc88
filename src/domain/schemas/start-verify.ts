import * as z from 'zod/mini';
import {
  appHash,
  channel,
  clientKey,
  country,
  destination,
  fallbackDestinations,
  locale,
  strictParams,
} from './fields';

export const startVerifySchema = strictParams({
  ...fallbackDestinations(),
  to: destination('to', 254),
  channel: z._default(z.optional(channel()), 'sms'),
  locale: z.optional(locale()),
  country: z.optional(country()),
  clientKey: z.optional(clientKey()),
  appHash: z.optional(appHash()),
});
export type StartVerifyInput = z.output<typeof startVerifySchema>;
