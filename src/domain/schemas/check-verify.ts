import * as z from 'zod/mini';
import { country, destination, text, toOrSid, verificationSid } from './fields';

export const checkVerifySchema = z
  .object({
    code: z
      .pipe(text('code', 32), z.transform((v: string) => v.replace(/[\s-]/g, '')))
      .check(z.refine((v: string) => /^[0-9A-Za-z]{4,10}$/.test(v), '`code` must be 4 to 10 letters or digits.')),
    to: z.optional(destination('to', 254)),
    verificationSid: z.optional(verificationSid()),
    country: z.optional(country()),
  })
  .check(toOrSid());
export type CheckVerifyInput = z.output<typeof checkVerifySchema>;
