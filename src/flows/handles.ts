import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import type { Channel } from '../domain/channels';
import type { PhoneFacts } from '../domain/destination-policy';
import { codeNotReceived, type DeliveryState } from '../domain/delivery-state';
import { deriveKey } from '../security/derived-keys';
import {
  openVerificationHandle,
  sealVerificationHandle,
  type VerificationHandle,
} from '../security/verification-handle';

/** A code lives 10 minutes from the first send of its verification (Verify's rule). */
export const CODE_WINDOW_MS = 10 * 60 * 1000;

type KeySource = Pick<Config, 'signingSecret' | 'authToken'>;

/** Opens the caller's handle: 400 invalid_verification unless we sealed it, for this service, and it is live. */
export function readHandle(config: KeySource, serviceSid: string, text: string): VerificationHandle {
  return openVerificationHandle(text, deriveKey(config, 'verification-handle'), serviceSid, Date.now());
}

/** When a verification's code window ends, on Verify's clock (its date_created + 10 minutes). */
export function windowEnd(verification: Pick<VerificationInstance, 'dateCreated'>, fallbackNow: number): number {
  const created = verification.dateCreated instanceof Date ? verification.dateCreated.getTime() : Number.NaN;
  return (Number.isFinite(created) ? created : fallbackNow) + CODE_WINDOW_MS;
}

export interface HandleFields {
  to: string;
  channel: Channel;
  phone?: string;
  /** The country and type of the handle's phone number (`to` or `phone`), found when it was checked. */
  phoneFacts?: PhoneFacts;
  email?: string;
  attemptOffset: number;
  /** The verification's attempt count as this caller now knows it (see VerificationHandle). */
  knownAttempts: number;
}

/** Seals a handle for a verification Verify just answered with. */
export function issueHandle(
  config: KeySource,
  serviceSid: string,
  verification: VerificationInstance,
  fields: HandleFields,
  now: number,
): string {
  const handle: VerificationHandle = {
    verificationSid: verification.sid,
    serviceSid,
    to: fields.to,
    channel: fields.channel,
    ...(fields.phone !== undefined ? { phone: fields.phone } : {}),
    ...(fields.phoneFacts !== undefined ? { phoneFacts: fields.phoneFacts } : {}),
    ...(fields.email !== undefined ? { email: fields.email } : {}),
    expiresAt: windowEnd(verification, now),
    attemptOffset: fields.attemptOffset,
    knownAttempts: fields.knownAttempts,
  };
  return sealVerificationHandle(handle, deriveKey(config, 'verification-handle'));
}

/**
 * This caller's own sends among a verification's attempts: from its offset up to the count its
 * handle knows. Sends made later by anyone else to the same destination are not its business.
 */
export function ownAttemptRange(
  handle: Pick<VerificationHandle, 'attemptOffset' | 'knownAttempts'>,
  total: number,
): { from: number; to: number } {
  return { from: handle.attemptOffset, to: Math.min(total, handle.knownAttempts) };
}

/**
 * Whether a send that did not reach the person lets this caller's next channel go at once (no
 * cooldown): only when the destination's latest send is this caller's own (inside its range, none
 * by anyone since) and is known not to have arrived. /resend-verify acts on it (spending the
 * failed send once, send-lock.ts) and /verification-status announces it; each needs its own
 * failed send, and Verify's caps and rate limits still count every send.
 */
export function failedSendSkipsCooldown(
  handle: Pick<VerificationHandle, 'attemptOffset' | 'knownAttempts'>,
  total: number,
  latest: DeliveryState,
): boolean {
  return ownsLatestSend(handle, total) && codeNotReceived(latest);
}

/** Whether the verification's latest send (of `total`) is this caller's own: none by anyone since. */
export function ownsLatestSend(
  handle: Pick<VerificationHandle, 'attemptOffset' | 'knownAttempts'>,
  total: number,
): boolean {
  return total > handle.attemptOffset && total <= handle.knownAttempts;
}

/** Whether this caller made every send the verification has had: only then may it cancel. */
export function isSoleSender(
  handle: Pick<VerificationHandle, 'attemptOffset' | 'knownAttempts'>,
  total: number,
): boolean {
  return handle.attemptOffset === 0 && total <= handle.knownAttempts;
}
