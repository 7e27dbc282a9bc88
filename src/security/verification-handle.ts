import * as z from 'zod/mini';
import { AppError } from '../domain/app-error';
import { CHANNELS, isPhoneChannel } from '../domain/channels';
import { NUMBER_TYPES, type PhoneFacts } from '../domain/destination-policy';
import { openToken, sealToken } from './sealed-token';

/**
 * The verification handle: what `/start-verify` gives the caller instead of Verify's SID, and
 * what every later route takes, sealed (sealed-token.ts) under the `verification-handle` key, so
 * a caller can neither read it (no SID, no destination) nor change it, and a handle from another
 * service, another deployment or another secret does not open.
 */
export interface VerificationHandle {
  /** Verify's Verification SID (VE…). */
  verificationSid: string;
  /** The Verify Service it belongs to (VA…): a handle for another service is foreign. */
  serviceSid: string;
  /** The normalised destination: E.164 or a lower-case email address. */
  to: string;
  channel: (typeof CHANNELS)[number];
  /** Fallback destinations offered at start, already normalised and checked. */
  phone?: string;
  email?: string;
  /**
   * The country and type libphonenumber found for the handle's phone number (`to` on a phone
   * channel, else `phone`), present exactly when it has one: a resend checks the number against
   * its channel's policy from these, without parsing it again.
   */
  phoneFacts?: PhoneFacts;
  /** When the code window ends, ms since epoch on Verify's clock (first send + 10 minutes). */
  expiresAt: number;
  /**
   * How many send attempts the verification had before this caller's first send. Verify keeps
   * one verification per destination; a second caller joins it and must not see the first's.
   */
  attemptOffset: number;
  /**
   * How many send attempts the verification had when this handle was issued (the offset plus
   * this caller's own sends, the newest included). This caller's sends are the attempts from
   * `attemptOffset` up to here; more than this means someone else sent since.
   */
  knownAttempts: number;
}

/** A sealed handle is a few hundred characters (both fallback destinations at their longest: ~1,150). */
export const MAX_HANDLE_LENGTH = 1280;

const sid = (prefix: string) => z.string().check(z.regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`)));
const text = () => z.string().check(z.minLength(1), z.maxLength(254));
const count = () => z.int().check(z.minimum(0));

// Short field names keep the handle short (it travels in every request); the mapping is private to this module.
let sealedSchema: ReturnType<typeof buildSealedSchema> | undefined;
const buildSealedSchema = () =>
  z
    .strictObject({
      v: sid('VE'),
      s: sid('VA'),
      t: text(),
      c: z.enum(CHANNELS),
      p: z.optional(text()),
      e: z.optional(text()),
      n: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
      y: z.optional(z.enum(NUMBER_TYPES)),
      x: z.int(),
      a: count(),
      k: count(),
    })
    .check(
      z.refine((sealed) => sealed.k > sealed.a),
      // A handle's phone number always carries its type; a handle sealed before they did does not open.
      z.refine((sealed) => (isPhoneChannel(sealed.c) || sealed.p !== undefined) === (sealed.y !== undefined)),
    );

export function sealVerificationHandle(handle: VerificationHandle, key: Uint8Array): string {
  return sealToken(
    {
      v: handle.verificationSid,
      s: handle.serviceSid,
      t: handle.to,
      c: handle.channel,
      p: handle.phone,
      e: handle.email,
      n: handle.phoneFacts?.country,
      y: handle.phoneFacts?.type,
      x: handle.expiresAt,
      a: handle.attemptOffset,
      k: handle.knownAttempts,
    },
    key,
  );
}

/**
 * Opens a handle sealed by `sealVerificationHandle`. Garbage, any changed byte, another key,
 * another service or a passed expiry all give the same 400 `invalid_verification`, before
 * anything reaches Verify.
 */
export function openVerificationHandle(
  text: string,
  key: Uint8Array,
  serviceSid: string,
  now: number,
): VerificationHandle {
  const sealed =
    text.length > MAX_HANDLE_LENGTH ? undefined : openToken(text, key, (sealedSchema ??= buildSealedSchema()));
  if (!sealed || sealed.s !== serviceSid || sealed.x <= now)
    throw new AppError('invalid_verification', { field: 'verification' });
  return {
    verificationSid: sealed.v,
    serviceSid: sealed.s,
    to: sealed.t,
    channel: sealed.c,
    ...(sealed.p !== undefined ? { phone: sealed.p } : {}),
    ...(sealed.e !== undefined ? { email: sealed.e } : {}),
    ...(sealed.y !== undefined
      ? { phoneFacts: { ...(sealed.n !== undefined ? { country: sealed.n } : {}), type: sealed.y } }
      : {}),
    expiresAt: sealed.x,
    attemptOffset: sealed.a,
    knownAttempts: sealed.k,
  };
}
