import type { CountryCode, NumberType } from 'libphonenumber-js/max';
import { AppError } from './app-error';

type Libphonenumber = typeof import('./phone-library');
let libphonenumber: Libphonenumber | undefined;
/**
 * The library, set up on first use: for a require() inside a function the bundler wraps the
 * module in a lazy initialiser, so its set-up (and its metadata table's) runs in the first
 * request that parses a number, not in every cold start. A check with a handle or a proof
 * token, or a sign-in with an E.164 number, never parses one.
 */
const library = (): Libphonenumber => (libphonenumber ??= require('./phone-library') as Libphonenumber);

export interface PhoneNumber {
  e164: string;
  countryCallingCode: string;
  country?: string;
  /** libphonenumber's type (MOBILE, FIXED_LINE, PREMIUM_RATE, …) when its metadata knows it. */
  type?: NumberType;
}

/** Parses what a person typed into E.164; `country` lets `input` be a national number. */
export function normalizePhoneNumber(input: string, country?: string, field = 'to'): PhoneNumber {
  const typed = input.trim();
  const parsed = library().parsePhoneNumberFromString(typed, {
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
