import { resolveDestination } from '../domain/destination';
import type { CancelVerifyInput } from '../domain/schemas/cancel-verify';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

export interface CancelResult {
  ok: true;
  status: 'canceled';
}

/**
 * Cancels a pending verification so its code stops working. Idempotent: one that is already
 * gone (approved, expired, canceled, never started) also answers `canceled`, which also
 * means the answer never tells whether a number had a verification.
 */
export async function cancelVerification(
  connection: VerifyConnection,
  serviceSid: string,
  input: CancelVerifyInput,
): Promise<{ result: CancelResult; masked?: string }> {
  // Verify accepts the `To` in place of the SID to address the pending verification.
  const destination = input.verificationSid === undefined && input.to !== undefined ? resolveDestination(input.to, input.to.includes('@') ? 'email' : 'sms', input.country) : undefined;
  const key = input.verificationSid ?? (destination?.to as string);
  try {
    await verifyService(connection, serviceSid).verifications(key).update({ status: 'canceled' });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code !== 'verification_not_found') throw error;
  }
  return { masked: destination?.masked, result: { ok: true, status: 'canceled' } };
}
