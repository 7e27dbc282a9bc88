import type { VerificationHandle } from '../security/verification-handle';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

export interface CancelResult {
  ok: true;
  status: 'canceled';
}

/**
 * Cancels the handle's verification so its code stops working ("change number"). Only the
 * holder of the handle can. Idempotent: one already gone (approved, expired, canceled) also
 * answers `canceled`. Cancelling does not reset anything that bounds guesses: the sends that
 * can open verifications are metered per destination by Verify's rate limits.
 */
export async function cancelVerification(connection: VerifyConnection, serviceSid: string, handle: VerificationHandle): Promise<{ result: CancelResult }> {
  try {
    await verifyService(connection, serviceSid).verifications(handle.verificationSid).update({ status: 'canceled' });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code !== 'verification_not_found') throw error;
  }
  return { result: { ok: true, status: 'canceled' } };
}
