import * as z from 'zod/mini';
import { required, strictParams, text } from './fields';

/** Parameters people copy from old guides that Verify v2 does not have. */
const UNSUPPORTED_SERVICE_PARAMS: Readonly<Record<string, string>> = {
  ttl: '`ttl` is not a Verify setting: codes always live 10 minutes, and only Twilio Support can change that (2 minutes to 24 hours).',
  doForceCheckOnce: '`doForceCheckOnce` does not exist in Verify v2.',
};

/** Accepts booleans from JSON and "true"/"false" from forms. */
function flag(name: string) {
  return z.pipe(
    z.union([z.boolean(), z.enum(['true', 'false'])], {
      error: `\`${name}\` must be true or false.`,
    }),
    z.transform((v: boolean | 'true' | 'false') => v === true || v === 'true'),
  );
}

/** Accepts integers from JSON and digit strings from forms. */
function integer(name: string, min: number, max: number) {
  const message = `\`${name}\` must be a whole number from ${min} to ${max}.`;
  return z
    .pipe(
      z.union([z.number(), z.string().check(z.regex(/^\s*\d{1,3}\s*$/, message))], { error: message }),
      z.transform(Number),
    )
    .check(z.refine((v: number) => Number.isInteger(v) && v >= min && v <= max, message));
}

export const createServiceSchema = strictParams(
  {
    // Verify's own rule (Service schema): at most 30 characters and at most 4 digits in total.
    friendlyName: required('friendlyName', 30).check(
      z.refine(
        (v: string) => (v.match(/\d/g) ?? []).length <= 4,
        '`friendlyName` may contain at most 4 digits (Verify refuses more, consecutive or not).',
      ),
    ),
    codeLength: z.optional(integer('codeLength', 4, 10)),
    lookupEnabled: z.optional(flag('lookupEnabled')),
    skipSmsToLandlines: z.optional(flag('skipSmsToLandlines')),
    doNotShareWarningEnabled: z.optional(flag('doNotShareWarningEnabled')),
    customCodeEnabled: z.optional(flag('customCodeEnabled')),
    dtmfInputRequired: z.optional(flag('dtmfInputRequired')),
    ttsName: z.optional(text('ttsName', 50)),
  },
  UNSUPPORTED_SERVICE_PARAMS,
);
export type CreateServiceInput = z.output<typeof createServiceSchema>;
