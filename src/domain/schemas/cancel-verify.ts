import * as z from 'zod/mini';
import { country, destination, toOrSid, verificationSid } from './fields';

export const cancelVerifySchema = z
  .object({ to: z.optional(destination('to', 254)), verificationSid: z.optional(verificationSid()), country: z.optional(country()) })
  .check(toOrSid());
export type CancelVerifyInput = z.output<typeof cancelVerifySchema>;
