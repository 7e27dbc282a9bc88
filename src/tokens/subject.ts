import { createHmac } from 'node:crypto';
import { deriveKey, type SecretSource } from '../security/derived-keys';
import { isEmailAddress } from '../domain/destination-kind';

/** A destination someone has just proven they control, as Verify reports it. */
export interface VerifiedDestination {
  /** E.164 number or email address. */
  to: string;
  /** Verify's channel for the approved code (sms, call, email, whatsapp, rcs), or `totp` for an authenticator app's. */
  channel: string;
}

/** Authentication Method Reference values (RFC 8176) a proof token can carry. */
export type AuthenticationMethod = 'sms' | 'tel' | 'otp';

/** The claims that say who was verified and how; `iss`, `aud`, `iat`, `exp`, `jti` are added when signing. */
export type SubjectClaims = {
  sub: string;
  amr: [AuthenticationMethod];
  /**
   * How the proof was made, in Verify's words: a channel a code was sent on, or `totp`. `amr`
   * alone cannot tell an emailed code from an authenticator app's (both `otp`), and only a
   * sent code shows that the person holds the destination now.
   */
  channel: string;
} & ({ phone_number: string; phone_number_verified: true } | { email: string; email_verified: true });

/**
 * RFC 8176: `sms` for a code sent by text message, `tel` for one read out in a call, `otp`
 * for the rest (email, WhatsApp, RCS: a one-time password, with no registered value naming
 * the carrier).
 */
export function amrFor(channel: string): AuthenticationMethod {
  if (channel === 'sms') return 'sms';
  if (channel === 'call') return 'tel';
  return 'otp';
}

/**
 * One spelling per destination, so one person gets one `sub`: email addresses lower-cased
 * (Verify and mail providers treat them case-insensitively), phone numbers as E.164.
 */
function normalizeDestination(to: string): { kind: 'email' | 'phone'; value: string } {
  const value = to.trim();
  return isEmailAddress(value)
    ? { kind: 'email', value: value.toLowerCase() }
    : { kind: 'phone', value: value.replace(/[\s().-]/g, '') };
}

/**
 * A stable id for a destination that does not reveal it: HMAC-SHA256 under a key derived for
 * this purpose only, base64url. The same number always maps to the same `sub` for a given
 * SIGNING_SECRET (or auth token), so a backend can key accounts on it.
 */
export function subjectId(to: string, secrets: SecretSource): string {
  return createHmac('sha256', deriveKey(secrets, 'subject-id'))
    .update(normalizeDestination(to).value)
    .digest('base64url');
}

/** The subject claims of a proof token for a verified destination (also for TOTP routes). */
export function subjectClaims(verified: VerifiedDestination, secrets: SecretSource): SubjectClaims {
  const { kind, value } = normalizeDestination(verified.to);
  const sub = subjectId(value, secrets);
  const amr: [AuthenticationMethod] = [amrFor(verified.channel)];
  const { channel } = verified;
  return kind === 'email'
    ? { sub, email: value, email_verified: true, amr, channel }
    : { sub, phone_number: value, phone_number_verified: true, amr, channel };
}
