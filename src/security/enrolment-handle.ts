import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretSource } from './derived-keys';
import { deriveKey } from './derived-keys';

/**
 * What an enrolment handle carries between totp-enroll and totp-confirm, sealed so the browser
 * can hold it without learning or changing anything: the Factor, its Entity, the subject the
 * proof token will name (subject and destination), and when the handle stops being accepted.
 */
export interface EnrolmentHandle {
  factorSid: string;
  /** The Verify Entity identity (a keyed hash, see totp-entity.ts). */
  entity: string;
  subject: string;
  /** The normalised destination the proof token named, for the token totp-confirm answers. */
  destination: string;
  /** Unix ms after which the handle is refused. */
  expiresAt: number;
}

/** How long a person has to scan the QR code and type the first code. */
export const ENROLMENT_HANDLE_TTL_MS = 10 * 60_000;

const VERSION = 'e1';
/**
 * The same sealed shape has a second use: the record that names a passkey's owner (kept in the
 * state store, so a discoverable sign-in can name the destination). Each use has its own key
 * and associated data, so one can never be presented as the other.
 */
export type SealedFactorPurpose = 'enrolment-handle' | 'passkey-owner';
const aadOf = (purpose: SealedFactorPurpose) => Buffer.from(`verify-functions/${purpose}/v1`);
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM under the `enrolment-handle` key: `e1.` + base64url(iv | ciphertext | tag). */
export function sealEnrolmentHandle(source: SecretSource, handle: EnrolmentHandle, purpose: SealedFactorPurpose = 'enrolment-handle'): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(source, purpose), iv);
  cipher.setAAD(aadOf(purpose));
  const payload = JSON.stringify({ f: handle.factorSid, e: handle.entity, s: handle.subject, d: handle.destination, x: handle.expiresAt });
  const sealed = Buffer.concat([iv, cipher.update(payload, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${sealed.toString('base64url')}`;
}

/**
 * The handle's content, or undefined when it was not sealed with this key, was changed,
 * is malformed or has expired: callers answer all of these the same way.
 */
export function openEnrolmentHandle(source: SecretSource, text: string, now: number, purpose: SealedFactorPurpose = 'enrolment-handle'): EnrolmentHandle | undefined {
  if (!text.startsWith(`${VERSION}.`)) return undefined;
  const encoded = text.slice(VERSION.length + 1);
  const sealed = Buffer.from(encoded, 'base64url');
  // One spelling per handle (base64url's last character has spare bits).
  if (sealed.length <= IV_BYTES + TAG_BYTES || sealed.toString('base64url') !== encoded) return undefined;
  const key = deriveKey(source, purpose);
  let payload: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(aadOf(purpose));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    payload = JSON.parse(plain.toString('utf8'));
  } catch {
    return undefined;
  }
  const { f, e, s, d, x } = (payload ?? {}) as Record<string, unknown>;
  if (typeof f !== 'string' || typeof e !== 'string' || typeof s !== 'string' || typeof d !== 'string' || typeof x !== 'number') return undefined;
  if (now >= x) return undefined;
  return { factorSid: f, entity: e, subject: s, destination: d, expiresAt: x };
}
