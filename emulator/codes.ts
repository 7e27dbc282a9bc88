import { randomInt } from 'node:crypto';

/** What Verify accepts as a code (CustomCode, a check's Code): 4–10 letters or digits. */
export const CODE_PATTERN = /^[A-Za-z0-9]{4,10}$/;

/** A numeric one-time code from the CSPRNG (never Math.random). */
export function generateCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += String(randomInt(0, 10));
  return code;
}

/**
 * Constant-time comparison: every character of `given` is compared (against `expected`'s,
 * cycled), so the time depends on the typed length only, never on how much of it matched.
 * Same answer as comparing SHA-256 digests (both sides are 4–10 ASCII letters or digits),
 * without two hashes per check.
 */
export function codesMatch(expected: string, given: string): boolean {
  let difference = expected.length ^ given.length;
  for (let i = 0; i < given.length; i += 1) {
    difference |= (expected.charCodeAt(i % expected.length) | 0) ^ given.charCodeAt(i);
  }
  return difference === 0;
}
