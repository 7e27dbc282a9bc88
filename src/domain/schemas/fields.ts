/**
 * The building blocks of the request schemas. Each route has its own schema module, so each
 * function bundle builds only the schemas it uses: building zod schemas is a large share of a
 * function's cold start. Every block is a function that builds a fresh schema.
 */
import * as z from 'zod/mini';
import { CHANNELS, resolveChannel, type Channel } from '../channels';
import { resolveVerifyLocale, type VerifyLocale } from '../../../twilio-facts/verify-locales';
import type { ErrorCode } from '../error-codes';
import { MAX_HANDLE_LENGTH } from '../../security/verification-handle';

/** Marks an issue so `toAppError` answers with a specific error code instead of invalid_request. */
const as = (code: ErrorCode) => ({ params: { code } });

// Control characters never belong in any of our inputs; refusing them keeps logs clean.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function text(name: string, max: number) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `\`${name}\` is required.` : `\`${name}\` must be a string.`),
    })
    .check(
      z.maxLength(max, `\`${name}\` must be at most ${max} characters.`),
      z.refine((v: string) => !CONTROL_CHARACTERS.test(v), `\`${name}\` must not contain control characters.`),
    );
}

// Checks, not pipes and transforms, wherever the value stays a string: zod builds and runs a
// schema per pipe stage, and building schemas is most of what a cold start spends on zod.
const present = (name: string) => z.refine<string>((v) => v.length > 0, `\`${name}\` is required.`);

export function required(name: string, max: number) {
  return text(name, max).check(z.trim(), present(name));
}

export const country = () =>
  required('country', 2).check(
    z.refine((v: string) => /^[A-Za-z]{2}$/.test(v), '`country` must be an ISO 3166 alpha-2 code such as US or GB.'),
    z.toUpperCase(),
  );

/** A name looked up in a fixed list (e.g. voice → call); anything else is refused with `message`. */
function lookup<T>(
  name: string,
  max: number,
  resolve: (v: string) => T | undefined,
  message: string,
  code?: ErrorCode,
) {
  return z.pipe(
    text(name, max),
    z.transform((v: string, ctx): T => {
      const resolved = resolve(v);
      if (resolved === undefined) {
        ctx.issues.push({ code: 'custom', input: v, message, ...(code ? as(code) : {}) });
        return z.NEVER;
      }
      return resolved;
    }),
  );
}

export const channel = () =>
  lookup<Channel>(
    'channel',
    20,
    resolveChannel,
    `\`channel\` must be one of ${CHANNELS.map((name) => (name === 'call' ? 'call (or voice)' : name)).join(', ')}.`,
    'unsupported_channel',
  );

export const locale = () =>
  lookup<VerifyLocale>(
    'locale',
    10,
    resolveVerifyLocale,
    '`locale` is not a language Verify supports (e.g. en, fr, pt-BR).',
  );

/**
 * A phone number or email address. A form-encoded `+` arrives as a space (`to=+1415…` reads
 * " 1415…"), so a value that starts with white space and then a digit gets its `+` back
 * before trimming.
 */
export const destination = (name: string, max: number) =>
  text(name, max).check(
    z.overwrite((v: string) => (/^\s+\d/.test(v) ? `+${v.trimStart()}` : v)),
    z.trim(),
    present(name),
  );

/** An app-chosen key (e.g. a device id) metered by the `client_key` rate limit. */
export const clientKey = () =>
  required('clientKey', 64).check(
    z.refine((v: string) => /^[A-Za-z0-9._:-]+$/.test(v), '`clientKey` may only contain letters, digits and . _ : -'),
  );

/**
 * An Android app's SMS Retriever hash (11 characters), which Verify appends to the SMS so the
 * app can read its code without a permission (Verify's `AppHash`; SMS only).
 */
export const appHash = () =>
  text('appHash', 11).check(
    z.refine(
      (v: string) => /^[A-Za-z0-9+/]{11}$/.test(v),
      '`appHash` must be the 11-character hash of your Android app (SMS Retriever).',
    ),
  );

/** Optional other destinations a resend may fall back to (see CHANNEL_FALLBACK). */
export const fallbackDestinations = () => ({
  phone: z.optional(destination('phone', 64)),
  email: z.optional(required('email', 254)),
});

/** The sealed handle /start-verify answered with (src/security/verification-handle.ts opens it). */
export const verification = () => required('verification', MAX_HANDLE_LENGTH);

/** Parameters earlier versions took, with what to send instead. */
const REPLACED_PARAMS: Readonly<Record<string, string>> = {
  verificationSid:
    '`verificationSid` is no longer accepted: send `verification`, the handle /start-verify answered with.',
};

/**
 * Every route refuses parameters it does not know (400 invalid_request naming the first one),
 * so a typo or a stale client is told at once instead of being silently ignored.
 */
export function strictParams<S extends z.core.$ZodLooseShape>(
  shape: S,
  replaced: Readonly<Record<string, string>> = REPLACED_PARAMS,
) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const key = issue.keys[0];
      // Own keys only: `__proto__` or `constructor` would otherwise read Object's own members.
      return Object.hasOwn(replaced, key) ? replaced[key] : `\`${key}\` is not a parameter this endpoint accepts.`;
    },
  });
}
