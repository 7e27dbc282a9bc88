import * as z from 'zod/mini';
import type { SecretSource } from './derived-keys';
import { deriveKey } from './derived-keys';
import { openToken, sealToken } from './sealed-token';

/**
 * What an enrolment handle carries between totp-enroll and totp-confirm, sealed (sealed-token.ts)
 * under the `enrolment-handle` key so the browser can hold it without learning or changing
 * anything: the Factor, its Entity, the subject the proof token will name (subject and
 * destination), when the handle stops being accepted, and for a passkey the registration's challenge.
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
  /** A passkey registration's WebAuthn challenge: the attestation confirmed with the handle must answer it. */
  challenge?: string;
}

/** How long a person has to scan the QR code and type the first code. */
export const ENROLMENT_HANDLE_TTL_MS = 10 * 60_000;

let sealedSchema: ReturnType<typeof buildSealedSchema> | undefined;
const buildSealedSchema = () =>
  z.strictObject({
    f: z.string(),
    e: z.string(),
    s: z.string(),
    d: z.string(),
    x: z.int(),
    c: z.optional(z.string()),
  });

/**
 * The same sealed shape has a second use: the record that names a passkey's owner (kept in the
 * state store, so a discoverable sign-in can name the destination). Each use has its own key,
 * so one can never be presented as the other.
 */
export type SealedFactorPurpose = 'enrolment-handle' | 'passkey-owner';

export function sealEnrolmentHandle(
  source: SecretSource,
  handle: EnrolmentHandle,
  purpose: SealedFactorPurpose = 'enrolment-handle',
): string {
  const payload = {
    f: handle.factorSid,
    e: handle.entity,
    s: handle.subject,
    d: handle.destination,
    x: handle.expiresAt,
    ...(handle.challenge !== undefined && { c: handle.challenge }),
  };
  return sealToken(payload, deriveKey(source, purpose));
}

/**
 * The handle's content, or undefined when it was not sealed with this key, was changed,
 * is malformed or has expired: callers answer all of these the same way.
 */
export function openEnrolmentHandle(
  source: SecretSource,
  text: string,
  now: number,
  purpose: SealedFactorPurpose = 'enrolment-handle',
): EnrolmentHandle | undefined {
  const sealed = openToken(text, deriveKey(source, purpose), (sealedSchema ??= buildSealedSchema()));
  if (!sealed || now >= sealed.x) return undefined;
  return {
    factorSid: sealed.f,
    entity: sealed.e,
    subject: sealed.s,
    destination: sealed.d,
    expiresAt: sealed.x,
    ...(sealed.c !== undefined && { challenge: sealed.c }),
  };
}
