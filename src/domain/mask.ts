/**
 * Masks a phone number for logs and responses, keeping the country code and last 4 digits.
 * @example maskPhoneNumber('+14155550199', '1') // '+1******0199'
 */
export function maskPhoneNumber(e164: string, countryCallingCode?: string): string {
  const digits = e164.replace(/\D/g, '');
  // Without a known calling code, keep one leading digit: never more than needed.
  const cc = countryCallingCode ?? digits.slice(0, Math.max(Math.min(digits.length - 4, 1), 0));
  const hidden = Math.max(digits.length - cc.length - 4, 0);
  return `+${cc}${'*'.repeat(hidden)}${digits.slice(cc.length + hidden)}`;
}

/**
 * Masks an email address, keeping the first character of the local part and the domain.
 * @example maskEmail('jane.doe@example.com') // 'j*******@example.com'
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}${'*'.repeat(Math.max(at - 1, 1))}${email.slice(at)}`;
}

/** Masks any destination (phone number or email address). */
export function maskDestination(to: string, countryCallingCode?: string): string {
  return to.includes('@') ? maskEmail(to) : maskPhoneNumber(to, countryCallingCode);
}
