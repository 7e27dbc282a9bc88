import { callingCodeOf } from './calling-code';
import { isEmailAddress } from './destination-kind';

/**
 * Masks a phone number for logs and responses, keeping the country code and at most the last
 * 4 digits — fewer for short national numbers, so at least half and at least 3 digits of the
 * national number stay hidden (1,000+ candidates).
 * @example maskPhoneNumber('+14155550199', '1') // '+1******0199'
 */
export function maskPhoneNumber(e164: string, countryCallingCode?: string): string {
  const digits = e164.replace(/\D/g, '');
  // Without a known calling code, keep one leading digit: never more than needed.
  const cc = countryCallingCode ?? digits.slice(0, Math.min(digits.length, 1));
  const national = digits.slice(cc.length);
  const shown = Math.max(0, Math.min(4, national.length - 3, Math.floor(national.length / 2)));
  return `+${cc}${'*'.repeat(national.length - shown)}${national.slice(national.length - shown)}`;
}

/**
 * Masks an email address, keeping the first character of the local part and the domain.
 * Always three stars, so the mask does not tell how long the local part is.
 * @example maskEmail('jane.doe@example.com') // 'j***@example.com'
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/**
 * Masks a destination this deployment already normalised (in a proof token or a sealed
 * handle), phone number or email address: the same mask as after parsing it, without loading
 * libphonenumber to parse it again.
 */
export function maskDestination(to: string): string {
  return isEmailAddress(to) ? maskEmail(to.trim().toLowerCase()) : maskPhoneNumber(to, callingCodeOf(to));
}
