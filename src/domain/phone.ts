import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from './app-error';
import type { PhoneType } from './destination-policy';

export interface PhoneNumber {
  e164: string;
  countryCallingCode: string;
  country?: string;
  /** libphonenumber's type (MOBILE, FIXED_LINE, PREMIUM_RATE, …): a number without one is refused. */
  type: PhoneType;
}

/** Parses what a person typed into E.164; `country` lets `input` be a national number. */
export function normalizePhoneNumber(input: string, country?: string, field = 'to'): PhoneNumber {
  const typed = input.trim();
  // `country` only matters for a national number; there an unknown one is the field to fix.
  if (country !== undefined && !typed.startsWith('+') && !isSupportedCountry(country)) {
    throw new AppError('invalid_request', {
      field: 'country',
      message: '`country` is not a country code we know (ISO 3166 alpha-2, such as US or GB).',
    });
  }
  const parsed = parsePhoneNumberFromString(typed, {
    defaultCountry: country as CountryCode | undefined,
  });
  // With full metadata, isValid() is exactly "getType() found a type": ask once, not twice
  // (each asks every number-type pattern of the country, and for +1 of every NANPA country).
  const type = parsed?.getType();
  if (!parsed || type === undefined) {
    const hint = typed.startsWith('+') || country ? '' : ' Include the country code (e.g. +44) or pass `country`.';
    throw new AppError('invalid_phone_number', {
      field,
      message: `This is not a valid phone number.${hint}`,
    });
  }
  return {
    e164: parsed.number,
    countryCallingCode: parsed.countryCallingCode,
    country: parsed.country,
    type,
  };
}
