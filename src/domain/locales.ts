/**
 * Locales Verify's default templates support (twilio.com/docs/verify/supported-languages).
 * Verify answers an unsupported override with an error, so we reject it up front.
 */
export const VERIFY_LOCALES = [
  'af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he',
  'hi', 'hr', 'hu', 'id', 'it', 'ja', 'kn', 'ko', 'lt', 'mr', 'ms', 'nb', 'nl', 'pl', 'pt',
  'pt-BR', 'ro', 'ru', 'sk', 'sv', 'te', 'th', 'tl', 'tr', 'uk', 'vi', 'zh', 'zh-CN', 'zh-HK',
] as const;

export type VerifyLocale = (typeof VERIFY_LOCALES)[number];

const BY_LOWER_CASE = new Map<string, VerifyLocale>(VERIFY_LOCALES.map((l) => [l.toLowerCase(), l]));

/** Finds the supported locale for a tag, accepting `pt_BR` and any letter case. */
export function resolveLocale(tag: string): VerifyLocale | undefined {
  return BY_LOWER_CASE.get(tag.trim().replace('_', '-').toLowerCase());
}
