/**
 * Languages Verify's default templates support (twilio.com/docs/verify/supported-languages): a
 * `Locale` outside this list is refused with 60200. Verify matches a tag case-insensitively and
 * accepts `_` for `-` (`pt_BR`).
 */
export const VERIFY_LOCALES = [
  'af',
  'ar',
  'ca',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'en-GB',
  'es',
  'et',
  'fi',
  'fr',
  'he',
  'hi',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'kn',
  'ko',
  'lt',
  'mr',
  'ms',
  'nb',
  'nl',
  'pl',
  'pt',
  'pt-BR',
  'ro',
  'ru',
  'sk',
  'sv',
  'te',
  'th',
  'tl',
  'tr',
  'uk',
  'vi',
  'zh',
  'zh-CN',
  'zh-HK',
] as const;
export type VerifyLocale = (typeof VERIFY_LOCALES)[number];

/** The supported locale a tag names, as Verify matches it (any letter case, `_` for `-`), or undefined. */
export function resolveVerifyLocale(tag: string): VerifyLocale | undefined {
  const wanted = tag.trim().replace('_', '-').toLowerCase();
  return VERIFY_LOCALES.find((locale) => locale.toLowerCase() === wanted);
}
