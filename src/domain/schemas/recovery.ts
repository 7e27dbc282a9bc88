/** Inputs of the recovery-code routes: /recovery-codes takes none (the proof token says who), /recovery-check a destination and a code. */
import * as z from 'zod/mini';
import { country, destination, strictParams, text } from './fields';

/** A recovery code as typed: `XXXXX-XXXXX`, any case, spaces or dashes anywhere (checked against the set later). */
const code = () =>
  text('code', 32).check(
    z.refine(
      (v: string) => /^[A-Za-z0-9\s-]{10,32}$/.test(v),
      '`code` must be one of your recovery codes (10 letters and digits, e.g. 7K2MQ-9XR4T).',
    ),
  );

let check: ReturnType<typeof buildCheck> | undefined;
const buildCheck = () => strictParams({ to: destination('to', 254), country: z.optional(country()), code: code() });
export const recoveryCheckSchema = () => (check ??= buildCheck());
