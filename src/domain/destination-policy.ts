import type { NumberType } from 'libphonenumber-js/max';
import { AppError } from './app-error';
import type { Channel } from './channels';

/** libphonenumber's kind of a valid number (its `NumberType` includes undefined for "none found"). */
export type PhoneType = NonNullable<NumberType>;

/** What the policy reads about a number: where it is and what kind it is. */
export interface PhoneFacts {
  country?: string;
  type: PhoneType;
}

/** Every type libphonenumber gives a valid number (its `NumberType`; the compiler checks that none is missing). */
export const NUMBER_TYPES: { readonly [T in PhoneType]: T } = {
  PREMIUM_RATE: 'PREMIUM_RATE',
  TOLL_FREE: 'TOLL_FREE',
  SHARED_COST: 'SHARED_COST',
  VOIP: 'VOIP',
  PERSONAL_NUMBER: 'PERSONAL_NUMBER',
  PAGER: 'PAGER',
  UAN: 'UAN',
  VOICEMAIL: 'VOICEMAIL',
  FIXED_LINE_OR_MOBILE: 'FIXED_LINE_OR_MOBILE',
  FIXED_LINE: 'FIXED_LINE',
  MOBILE: 'MOBILE',
};

/**
 * Number types that cannot receive a text, or that pay the callee (SMS pumping's favourite
 * targets). Mobile, fixed-or-mobile, VoIP and personal numbers pass; Verify has the last word.
 */
const NOT_FOR_MESSAGES: ReadonlySet<NumberType> = new Set([
  'PREMIUM_RATE',
  'SHARED_COST',
  'TOLL_FREE',
  'UAN',
  'VOICEMAIL',
  'PAGER',
  'FIXED_LINE',
]);
/** Voice calls reach landlines, but premium and shared-cost numbers still bill us for fraud. */
const NOT_FOR_CALLS: ReadonlySet<NumberType> = new Set(['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER']);

export interface DestinationPolicy {
  /** ISO alpha-2 codes; `*` allows every country. */
  allowedCountries: readonly string[];
}

/** Refuses destinations outside the allowed countries or of a type the channel cannot serve. */
export function assertPhoneAllowed(phone: PhoneFacts, channel: Channel, policy: DestinationPolicy, field = 'to'): void {
  const anywhere = policy.allowedCountries.includes('*');
  if (!anywhere && (!phone.country || !policy.allowedCountries.includes(phone.country))) {
    // Names the setting, so whoever runs the deployment sees the fix (the page shows this message as is).
    const which = phone.country
      ? `${phone.country} is not in ALLOWED_COUNTRIES`
      : 'this number has no country, and ALLOWED_COUNTRIES is not *';
    throw new AppError('destination_blocked', {
      field,
      message: `We cannot send codes to numbers in this country (${which}).`,
    });
  }
  const refused = channel === 'call' ? NOT_FOR_CALLS : NOT_FOR_MESSAGES;
  if (refused.has(phone.type)) {
    if (phone.type === 'FIXED_LINE') throw new AppError('landline_not_supported', { field });
    throw new AppError('destination_blocked', { field, message: 'We cannot send codes to this kind of number.' });
  }
}
