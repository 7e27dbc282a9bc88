import { CODE_PATTERN } from './codes';
import { isEmailAddress, isPhoneNumber } from './destinations';

/**
 * Parses EMULATOR_TEST_NUMBERS: comma-separated `destination:code` pairs, destinations being
 * E.164 numbers or email addresses, codes 4–10 letters or digits (what Verify accepts).
 * Throws on anything else, so a typo is noticed at start rather than as a random code.
 * @example parseTestNumbers('+15005550006:123456, demo@example.com:654321')
 *   // { '+15005550006': '123456', 'demo@example.com': '654321' }
 */
export function parseTestNumbers(spec: string | undefined): Record<string, string> {
  const numbers: Record<string, string> = {};
  for (const entry of (spec ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.lastIndexOf(':');
    const destination = entry.slice(0, separator).trim();
    const code = entry.slice(separator + 1).trim();
    if (separator < 1 || !isDestination(destination) || !isTestCode(code)) {
      throw new Error(
        `Invalid test number entry "${entry}": expected +E164:code or email:code, code 4-10 letters or digits`,
      );
    }
    numbers[destination] = code;
  }
  return numbers;
}

export function isDestination(value: string): boolean {
  return isPhoneNumber(value) || isEmailAddress(value);
}

export function isTestCode(value: string): boolean {
  return CODE_PATTERN.test(value);
}
