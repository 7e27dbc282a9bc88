import type { NumberType } from 'libphonenumber-js/max';
import { AppError } from './app-error';
import type { Channel } from './channels';
import type { PhoneNumber } from './phone';

/**
 * Number types that cannot receive a text, or that pay the callee (SMS pumping's favourite
 * targets). Mobile, fixed-or-mobile, VoIP and unknown types pass; Verify has the last word.
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
export function assertPhoneAllowed(
  phone: PhoneNumber,
  channel: Channel,
  policy: DestinationPolicy,
  field = 'to',
): void {
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
  if (phone.type && refused.has(phone.type)) {
    if (phone.type === 'FIXED_LINE') throw new AppError('landline_not_supported', { field });
    throw new AppError('destination_blocked', { field, message: 'We cannot send codes to this kind of number.' });
  }
}
