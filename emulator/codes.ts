import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** What Verify accepts as a code (CustomCode, a check's Code): 4–10 letters or digits. */
export const CODE_PATTERN = /^[A-Za-z0-9]{4,10}$/;

/** A numeric one-time code from the CSPRNG (never Math.random). */
export function generateCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += String(randomInt(0, 10));
  return code;
}

/** Constant-time comparison; hashing first makes the inputs equal length whatever was typed. */
export function codesMatch(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
