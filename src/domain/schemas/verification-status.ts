import * as z from 'zod/mini';
import { country, fallbackDestinations, verificationSid } from './fields';

export const verificationStatusSchema = z.object({
  ...fallbackDestinations(),
  verificationSid: verificationSid(),
  country: z.optional(country()),
});
export type VerificationStatusInput = z.output<typeof verificationStatusSchema>;
