/**
 * The country calling code of an E.164 number we already normalised, without loading
 * libphonenumber's metadata: calling codes are a prefix code (no code is the start of
 * another), one or two digits for the codes below and three for every other. Lets a route that
 * only needs to mask a known number skip parsing it; `tests/unit/calling-code.test.ts` checks
 * the table against libphonenumber-js for every country it knows.
 */
const SHORT_CODES = new Set([
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

export function callingCodeOf(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (SHORT_CODES.has(digits.slice(0, 1))) return digits.slice(0, 1);
  if (SHORT_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}
