import * as z from 'zod/mini';
import { resolveChannel, type Channel } from './channels';
import { resolveLocale, type VerifyLocale } from './locales';
import type { ErrorCode } from './error-codes';

/** Marks an issue so `toAppError` answers with a specific error code instead of invalid_request. */
const as = (code: ErrorCode) => ({ params: { code } });

// Control characters never belong in any of our inputs; refusing them keeps logs clean.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function text(name: string, max: number) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? `\`${name}\` is required.` : `\`${name}\` must be a string.`,
    })
    .check(
      z.maxLength(max, `\`${name}\` must be at most ${max} characters.`),
      z.refine((v: string) => !CONTROL_CHARACTERS.test(v), `\`${name}\` must not contain control characters.`),
    );
}

function required(name: string, max: number) {
  return z
    .pipe(text(name, max), z.transform((v: string) => v.trim()))
    .check(z.refine((v: string) => v.length > 0, `\`${name}\` is required.`));
}

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
    .pipe(z.union([z.number(), z.string().check(z.regex(/^\s*\d{1,3}\s*$/, message))], { error: message }), z.transform(Number))
    .check(z.refine((v: number) => Number.isInteger(v) && v >= min && v <= max, message));
}

const country = z.pipe(
  required('country', 2).check(
    z.refine((v: string) => /^[A-Za-z]{2}$/.test(v), '`country` must be an ISO 3166 alpha-2 code such as US or GB.'),
  ),
  z.transform((v: string) => v.toUpperCase()),
);

const channel = z.pipe(text('channel', 20), z.transform((v: string, ctx): Channel => {
  const resolved = resolveChannel(v);
  if (!resolved) {
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: '`channel` must be one of sms, call (or voice), email, whatsapp, rcs.',
      ...as('unsupported_channel'),
    });
    return z.NEVER;
  }
  return resolved;
}));

const locale = z.pipe(text('locale', 10), z.transform((v: string, ctx): VerifyLocale => {
  const resolved = resolveLocale(v);
  if (!resolved) {
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: '`locale` is not a language Verify supports (e.g. en, fr, pt-BR).',
    });
    return z.NEVER;
  }
  return resolved;
}));

const verificationSid = required('verificationSid', 34).check(
  z.refine(
    (v: string) => /^VE[0-9a-fA-F]{32}$/.test(v),
    '`verificationSid` must be a Verification SID (VE followed by 32 hex characters).',
  ),
);

/**
 * A form-encoded `+` arrives as a space (`to=+1415…` reads " 1415…"), so a destination that
 * starts with white space and then a digit gets its `+` back before trimming.
 */
const plusBack = z.transform((v: string) => (/^\s+\d/.test(v) ? `+${v.trimStart()}` : v));
const destination = z.pipe(z.pipe(text('to', 254), plusBack), required('to', 254));

/** An app-chosen key (e.g. a device id) metered by the `client_key` rate limit. */
const clientKey = required('clientKey', 64).check(
  z.refine((v: string) => /^[A-Za-z0-9._:-]+$/.test(v), '`clientKey` may only contain letters, digits and . _ : -'),
);

/** Optional other destinations a resend may fall back to (see CHANNEL_FALLBACK). */
const fallbackDestinations = {
  phone: z.optional(z.pipe(z.pipe(text('phone', 64), plusBack), required('phone', 64))),
  email: z.optional(required('email', 254)),
};

export const startVerifySchema = z.object({
  ...fallbackDestinations,
  to: destination,
  channel: z._default(z.optional(channel), 'sms'),
  locale: z.optional(locale),
  country: z.optional(country),
  clientKey: z.optional(clientKey),
});
export type StartVerifyInput = z.output<typeof startVerifySchema>;

export const checkVerifySchema = z
  .object({
    code: z
      .pipe(text('code', 32), z.transform((v: string) => v.replace(/[\s-]/g, '')))
      .check(z.refine((v: string) => /^[0-9A-Za-z]{4,10}$/.test(v), '`code` must be 4 to 10 letters or digits.')),
    to: z.optional(destination),
    verificationSid: z.optional(verificationSid),
    country: z.optional(country),
  })
  .check(
    z.refine((v: { to?: string; verificationSid?: string }) => v.to !== undefined || v.verificationSid !== undefined, {
      message: 'Give `to` or `verificationSid`.',
      path: ['to'],
    }),
  );
export type CheckVerifyInput = z.output<typeof checkVerifySchema>;

export const resendVerifySchema = z.object({
  ...fallbackDestinations,
  verificationSid,
  /** Force a channel ("call me instead"); default: the next one in CHANNEL_FALLBACK. */
  channel: z.optional(channel),
  locale: z.optional(locale),
  country: z.optional(country),
  clientKey: z.optional(clientKey),
});
export type ResendVerifyInput = z.output<typeof resendVerifySchema>;

export const cancelVerifySchema = z
  .object({ to: z.optional(destination), verificationSid: z.optional(verificationSid), country: z.optional(country) })
  .check(
    z.refine((v: { to?: string; verificationSid?: string }) => v.to !== undefined || v.verificationSid !== undefined, {
      message: 'Give `to` or `verificationSid`.',
      path: ['to'],
    }),
  );
export type CancelVerifyInput = z.output<typeof cancelVerifySchema>;

export const verificationStatusSchema = z.object({ ...fallbackDestinations, verificationSid, country: z.optional(country) });
export type VerificationStatusInput = z.output<typeof verificationStatusSchema>;

/** Parameters people copy from old guides that Verify v2 does not have. */
export const UNSUPPORTED_SERVICE_PARAMS: Readonly<Record<string, string>> = {
  ttl:
    '`ttl` is not a Verify setting: codes always live 10 minutes, and only Twilio Support can change that (2 minutes to 24 hours).',
  doForceCheckOnce: '`doForceCheckOnce` does not exist in Verify v2.',
};

export const createServiceSchema = z.strictObject({
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
});
export type CreateServiceInput = z.output<typeof createServiceSchema>;
