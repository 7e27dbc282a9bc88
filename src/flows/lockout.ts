import { AppError } from '../domain/app-error';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { CODE_WINDOW_MS } from './handles';
import type { VerificationCheckInstance } from 'twilio/lib/rest/verify/v2/service/verificationCheck';

// Verify's dates are whole seconds, cut down: its window can end up to a second after the
// `windowEndsAt` read from date_created. A wait that ends early meets 60202 once more.
const DATE_PRECISION_MS = 1000;

/**
 * The lockout after 5 wrong codes: Verify refuses checks and new sends to that destination
 * (60202) until the verification's 10 minutes are over. `windowEndsAt` (Verify's clock) comes
 * from the handle; without one we only know it ends within a full window. Only a check names
 * the `code` field: sends and status polls take none.
 */
export function lockedOut(
  connection: VerifyConnection,
  windowEndsAt: number | undefined,
  twilioCode?: number,
  field?: 'code',
): AppError {
  const seconds =
    windowEndsAt !== undefined
      ? Math.ceil((windowEndsAt + DATE_PRECISION_MS - connection.serverNow()) / 1000)
      : (connection.lastRetryAfter() ?? CODE_WINDOW_MS / 1000);
  return new AppError('max_check_attempts', {
    ...(field ? { field } : {}),
    twilioCode,
    retryAfter: Math.max(1, seconds),
  });
}

/** Gives a mapped 60202 its honest `retryAfter`; any other error passes through. */
export function withLockoutWait(
  error: AppError,
  connection: VerifyConnection,
  windowEndsAt: number | undefined,
  field?: 'code',
): AppError {
  return error.code === 'max_check_attempts' ? lockedOut(connection, windowEndsAt, error.twilioCode, field) : error;
}

// Never a code Verify could have sent: 10 characters and letters, while codes are digits.
const PROBE_CODE = 'lockoutprb';

/**
 * A verification that fetch no longer shows is either finished (approved, canceled, expired:
 * 20404 everywhere) or locked out after 5 wrong codes (checks answer 60202 until its window
 * ends). One check tells which without touching a live verification: fetch already said it is
 * not pending, and a gone SID never comes back.
 */
export async function goneOrLocked(
  connection: VerifyConnection,
  serviceSid: string,
  verificationSid: string,
  windowEndsAt: number,
): Promise<AppError> {
  let check: VerificationCheckInstance;
  try {
    check = await verifyService(connection, serviceSid).verificationChecks.create({
      verificationSid,
      code: PROBE_CODE,
    });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    return withLockoutWait(error, connection, windowEndsAt);
  }
  if (check.status === 'max_attempts_reached') return lockedOut(connection, windowEndsAt);
  // Any other answer: finished as far as this caller can tell.
  return new AppError('verification_not_found');
}
