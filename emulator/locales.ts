import { resolveVerifyLocale } from '../twilio-facts/verify-locales';

/** Whether Verify's templates speak `tag` (a `Locale` outside the list is refused with 60200). */
export function isSupportedLocale(tag: string): boolean {
  return resolveVerifyLocale(tag) !== undefined;
}
