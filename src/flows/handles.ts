import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import type { Channel } from '../domain/channels';
import { deriveKey } from '../security/derived-keys';
import { openVerificationHandle, sealVerificationHandle, type VerificationHandle } from '../security/verification-handle';

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
  email?: string;
  attemptOffset: number;
}

/** Seals a handle for a verification Verify just answered with. */
export function issueHandle(config: KeySource, serviceSid: string, verification: VerificationInstance, fields: HandleFields, now: number): string {
  const handle: VerificationHandle = {
    verificationSid: verification.sid,
    serviceSid,
    to: fields.to,
    channel: fields.channel,
    ...(fields.phone !== undefined ? { phone: fields.phone } : {}),
    ...(fields.email !== undefined ? { email: fields.email } : {}),
    expiresAt: windowEnd(verification, now),
    attemptOffset: fields.attemptOffset,
  };
  return sealVerificationHandle(handle, deriveKey(config, 'verification-handle'));
}
