import { readAttempts } from '../domain/send-schedule';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService } from '../verify/verify-client';
import { isSoleSender, readHandle } from './handles';
import type * as z from 'zod/mini';
import type { cancelResponse } from '../contract/responses';
import type { FlowContext } from './flow-context';

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
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  input: { verification: string },
): Promise<CancelResult> {
  const handle = readHandle(config, serviceSid, input.verification);
  const connection = connect();
  const verification = verifyService(connection, serviceSid).verifications(handle.verificationSid);
  try {
    const current = await verification.fetch();
    if (!isSoleSender(handle, readAttempts(current.sendCodeAttempts).length)) return { ok: true, status: 'pending' };
    await verification.update({ status: 'canceled' });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code !== 'verification_not_found') throw error;
  }
  return { ok: true, status: 'canceled' };
}
