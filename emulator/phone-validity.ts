import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CarrierType } from './store';

/**
 * Verify answers 60200 for numbers that are well-formed E.164 but not valid (`+12345`,
 * `+999…`, unassigned ranges). libphonenumber's full metadata tells them apart.
 */
export function isValidNumber(e164: string): boolean {
  return isValidPhoneNumber(e164);
}

/** Lookup's carrier `type` for a number, from libphonenumber's number type. */
export function carrierType(e164: string): CarrierType {
  const type = parsePhoneNumberFromString(e164)?.getType();
  if (type === 'FIXED_LINE') return 'landline';
  if (type === 'VOIP') return 'voip';
  return 'mobile';
}
