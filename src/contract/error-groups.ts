/**
 * Error codes shared by several routes' declarations (`errors` in each functions/*.ts). Plain
 * lists with no imports at run time, so a function bundle carries only strings.
 */
import type { ErrorCode } from '../domain/error-codes';

/** What any route can answer: bad parameters, a foreign origin, a wrong method, a body over the limit (local stack), a server fault. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'invalid_request',
  'origin_not_allowed',
  'method_not_allowed',
  'payload_too_large',
  'server_misconfigured',
  'internal_error',
];

/** What a route that keeps shared state (`state: true`) can also answer when Sync fails. */
export const STATE_ERRORS: readonly ErrorCode[] = ['state_unavailable'];

/**
 * What a route that calls Verify's Verification API can also answer: Verify's errors are mapped
 * the same way on every route (src/verify/map-verify-error.ts), so any of these can come back
 * whichever call Verify refused (tests/hardening/faults.test.ts injects them).
 */
export const VERIFY_ERRORS: readonly ErrorCode[] = [
  'rate_limited',
  'verify_error',
  'verify_unavailable',
  'verify_timeout',
  'invalid_phone_number',
  'landline_not_supported',
  'channel_disabled',
  'destination_blocked',
  'max_send_attempts',
  'max_check_attempts',
];

/** What a route that calls Verify's Factors API can also answer. */
export const TOTP_VERIFY_ERRORS: readonly ErrorCode[] = [
  'rate_limited',
  'verify_error',
  'verify_unavailable',
  'verify_timeout',
];

/** What a route that sends a code can also answer. */
export const SEND_ERRORS: readonly ErrorCode[] = [
  ...VERIFY_ERRORS,
  'invalid_email',
  'unsupported_channel',
  'resend_too_soon',
];
