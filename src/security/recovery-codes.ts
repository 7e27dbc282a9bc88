import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretSource } from './derived-keys';
import { deriveKey } from './derived-keys';

/**
 * Recovery codes: 10 per set, each 10 characters of Crockford's Base32 (50 bits from the
 * CSPRNG), shown as `XXXXX-XXXXX`. Only keyed hashes are kept: HMAC-SHA256 under the
 * `recovery-code` key of the subject and the code, so a copy of the store tells nothing without
 * the key, and a code is bound to the person it was made for.
 */
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_CODE_LENGTH = 10;
/** Crockford's Base32: no I, L, O or U, so nothing reads as another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh set, formatted for people. 256 is a multiple of 32, so `byte & 31` is uniform. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(RECOVERY_CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * A code as typed, in its one spelling: case, spaces and dashes do not matter, and the
 * letters Crockford reads as digits (O → 0, I and L → 1) are read so. Undefined when it cannot
 * be a code at all (wrong length or characters): such a guess is still counted by the caller.
 * @example normalizeRecoveryCode('abcde fghjk') // 'ABCDEFGHJK'
 */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === RECOVERY_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/** The stored form of one code: base64url HMAC-SHA256 of subject and normalised code. */
export function recoveryCodeHash(source: SecretSource, subject: string, normalized: string): string {
  return createHmac('sha256', deriveKey(source, 'recovery-code'))
    .update(`${subject}\u0000${normalized}`)
    .digest('base64url');
}

/** The index of `hash` among `hashes`, compared in constant time each; -1 when absent. */
export function indexOfHash(hashes: readonly string[], hash: string): number {
  const wanted = Buffer.from(hash);
  let found = -1;
  hashes.forEach((candidate, index) => {
    const bytes = Buffer.from(candidate);
    if (bytes.length === wanted.length && timingSafeEqual(bytes, wanted) && found < 0) found = index;
  });
  return found;
}
