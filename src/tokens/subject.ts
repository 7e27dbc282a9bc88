import { createHmac } from 'node:crypto';
import { deriveKey, type SecretSource } from '../security/derived-keys';
import { isEmailAddress } from '../domain/destination-kind';

/** A destination someone has just proven they control, as Verify reports it. */
export interface VerifiedDestination {
  /** E.164 number or email address. */
  to: string;
  /** Verify's channel for the approved code (sms, call, email, whatsapp, rcs), `totp` for an authenticator app's, `passkey`, or `recovery` for a recovery code. */
  channel: string;
}

/** Authentication Method Reference values (RFC 8176) a proof token can carry. */
export type AuthenticationMethod = 'sms' | 'tel' | 'otp' | 'hwk' | 'user';

/** The claims that say who was verified and how; `iss`, `aud`, `iat`, `exp`, `jti` are added when signing. */
export type SubjectClaims = {
  sub: string;
  amr: AuthenticationMethod[];
  /**
   * How the proof was made, in Verify's words: a channel a code was sent on, or `totp`. `amr`
   * alone cannot tell an emailed code from an authenticator app's (both `otp`), and only a
   * sent code shows that the person holds the destination now.
   */
  channel: string;
} & ({ phone_number: string; phone_number_verified: true } | { email: string; email_verified: true });

/**
 * RFC 8176: `sms` for a code sent by text message, `tel` for one read out in a call, `otp`
 * for the rest (email, WhatsApp, RCS, an authenticator app, a recovery code: a one-time
 * password, with no registered value naming the carrier). A passkey is `hwk` and `user`: a
 * proof of possession of a key the authenticator holds, and the authenticator's user test
 * (Verify is asked to require user verification: a PIN or biometric, whose kind the assertion
 * does not say, so neither `pin` nor `fpt` is claimed). `hwk` says the key is not a copyable
 * secret; with attestation "none" (what Verify asks for) nothing proves the key lives in
 * hardware, and synced passkeys are held by the platform's keychain: a backend that needs
 * more reads `channel: "passkey"` and decides.
 */
export function amrFor(channel: string): AuthenticationMethod[] {
  if (channel === 'sms') return ['sms'];
  if (channel === 'call') return ['tel'];
  if (channel === 'passkey') return ['hwk', 'user'];
  return ['otp'];
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
  const amr = amrFor(verified.channel);
  const { channel } = verified;
  return kind === 'email'
    ? { sub, email: value, email_verified: true, amr, channel }
    : { sub, phone_number: value, phone_number_verified: true, amr, channel };
}
