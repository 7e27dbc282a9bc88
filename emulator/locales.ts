/**
 * Languages Verify's default templates support (twilio.com/docs/verify/supported-languages):
 * a `Locale` outside this list is refused with 60200. Kept here rather than imported: the
 * emulator knows nothing of src/.
 */
const VERIFY_LOCALES = [
  'af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he',
  'hi', 'hr', 'hu', 'id', 'it', 'ja', 'kn', 'ko', 'lt', 'mr', 'ms', 'nb', 'nl', 'pl', 'pt',
  'pt-BR', 'ro', 'ru', 'sk', 'sv', 'te', 'th', 'tl', 'tr', 'uk', 'vi', 'zh', 'zh-CN', 'zh-HK',
];

const SUPPORTED = new Set(VERIFY_LOCALES.map((tag) => tag.toLowerCase()));

/** Verify matches the tag case-insensitively and accepts `_` for `-` (`pt_BR`). */
export function isSupportedLocale(tag: string): boolean {
  return SUPPORTED.has(tag.replace('_', '-').toLowerCase());
}
