import * as z from 'zod/mini';
import { country, destination, strictParams, text, verification } from './fields';

/** `to` is only honoured when the operator sets CHECK_BY_TO=true (the flow enforces that). */
export const checkVerifySchema = strictParams({
  code: text('code', 32).check(
    z.overwrite((v: string) => v.replace(/[\s-]/g, '')),
    z.refine((v: string) => /^[0-9A-Za-z]{4,10}$/.test(v), '`code` must be 4 to 10 letters or digits.'),
  ),
  verification: z.optional(verification()),
  to: z.optional(destination('to', 254)),
  country: z.optional(country()),
}).check(
  z.refine((v: { to?: string; verification?: string }) => v.to !== undefined || v.verification !== undefined, {
    message: '`verification` is required: send the handle /start-verify answered with.',
    path: ['verification'],
  }),
);
export type CheckVerifyInput = z.output<typeof checkVerifySchema>;
