import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CarrierType } from './store';

/**
 * Verify answers 60200 for numbers that are well-formed E.164 but not valid (`+12345`,
 * `+999…`, unassigned ranges). libphonenumber's full metadata tells them apart. Answers are
 * cached (per process, bounded) because the same few numbers are sent to over and over and
 * a full-metadata check costs far more than the rest of a send.
 */
const MAX_CACHED = 10_000;
const validity = new Map<string, boolean>();

export function isValidNumber(e164: string): boolean {
  const known = validity.get(e164);
  if (known !== undefined) return known;
  if (validity.size >= MAX_CACHED) validity.clear();
  const valid = isValidPhoneNumber(e164);
  validity.set(e164, valid);
  return valid;
}

/** Lookup's carrier `type` for a number, from libphonenumber's number type. */
export function carrierType(e164: string): CarrierType {
  const type = parsePhoneNumberFromString(e164)?.getType();
  if (type === 'FIXED_LINE') return 'landline';
  if (type === 'VOIP') return 'voip';
  return 'mobile';
}
