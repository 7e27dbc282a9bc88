import type { VerificationHandle } from '../security/verification-handle';
import { readAttempts } from '../domain/send-schedule';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { isSoleSender } from './handles';
import type * as z from 'zod/mini';
import type { cancelResponse } from '../contract/responses';

export type CancelResult = z.output<ReturnType<typeof cancelResponse>>;

/**
 * Cancels the handle's verification so its code stops working ("change number"), but only
 * when this caller made every send it has had. Verify keeps one verification per destination:
 * if another caller joined it, or this caller joined someone else's, cancelling would kill the
 * other person's code, so it is left pending and the answer says so (`pending`). Idempotent:
 * one already gone (approved, expired, canceled) answers `canceled`. Cancelling does not reset
 * anything that bounds guesses: the sends that can open verifications are metered per
 * destination by Verify's rate limits.
 */
export async function cancelVerification(
  connection: VerifyConnection,
  serviceSid: string,
  handle: VerificationHandle,
): Promise<{ body: CancelResult }> {
  const verification = verifyService(connection, serviceSid).verifications(handle.verificationSid);
  try {
    const current = await verification.fetch();
    if (!isSoleSender(handle, readAttempts(current.sendCodeAttempts).length))
      return { body: { ok: true, status: 'pending' } };
    await verification.update({ status: 'canceled' });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code !== 'verification_not_found') throw error;
  }
  return { body: { ok: true, status: 'canceled' } };
}
