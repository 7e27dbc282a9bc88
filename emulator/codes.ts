import { timingSafeEqual } from 'node:crypto';
import { takeRandomBytes } from './fast/random-pool';

/** What Verify accepts as a code (CustomCode, a check's Code): 4–10 letters or digits. */
export const CODE_PATTERN = /^[A-Za-z0-9]{4,10}$/;

/**
 * A numeric one-time code from the CSPRNG (never Math.random): one random byte per digit,
 * bytes from 250 up redrawn so that `byte % 10` is uniform.
 */
export function generateCode(length: number): string {
  let code = '';
  while (code.length < length) {
    const needed = length - code.length;
    const { pool, at } = takeRandomBytes(needed);
    for (let i = at; i < at + needed; i += 1) {
      const byte = pool[i] as number;
      if (byte < 250) code += String(byte % 10);
    }
  }
  return code;
}

/**
 * Constant-time comparison with timingSafeEqual. No hashing is needed to make the inputs equal
 * length: for equal lengths the bytes are compared directly, in a time that depends on the
 * length only; for unequal lengths (never a match) the typed code is compared with itself, so
 * the work still depends on the typed length only, and the answer is false (timingSafeEqual
 * would throw).
 */
export function codesMatch(expected: string, given: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const givenBytes = Buffer.from(given, 'utf8');
  if (expectedBytes.length !== givenBytes.length) {
    timingSafeEqual(givenBytes, givenBytes);
    return false;
  }
  return timingSafeEqual(expectedBytes, givenBytes);
}
