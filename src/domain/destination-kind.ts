/**
 * The one place that tells an email address from a phone number: only an address has an `@`
 * (no phone number, E.164 or as typed, does). Routes that take either kind in `to` use this.
 */
export function isEmailAddress(to: string): boolean {
  return to.includes('@');
}
