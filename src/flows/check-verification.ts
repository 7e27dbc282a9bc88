import { AppError } from '../domain/app-error';
import { resolveEitherDestination } from '../domain/destination';
import { maskDestination } from '../domain/mask';
import type { CheckVerifyInput } from '../domain/schemas/check-verify';
import type { ProofTokenIssuer } from '../tokens/proof-token';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService } from '../verify/verify-client';
import { readHandle } from './handles';
import { forgetSends, recordLockout } from './send-lock';
import { lockedOut, withLockoutWait } from './lockout';
import type * as z from 'zod/mini';
import type { checkResponse } from '../contract/responses';
import type { VerificationCheckInstance } from 'twilio/lib/rest/verify/v2/service/verificationCheck';
import type { FlowContext } from './flow-context';

export type CheckVerificationResult = z.output<ReturnType<typeof checkResponse>>;

/**
 * Checks a code against the handle's verification (or, only with CHECK_BY_TO=true, against
 * whatever is pending for `to`). Only `approved` counts: a wrong code is a 200 `pending` from
 * Verify. The 5th wrong code locks the destination until the code window ends: 429 with the wait.
 */
export async function checkVerification(
  { config, serviceSid, connect, store, tokens }: FlowContext & { tokens?: ProofTokenIssuer },
  input: CheckVerifyInput,
): Promise<CheckVerificationResult> {
  let target: { verificationSid: string } | { to: string };
  let masked: string;
  let destinationTo: string;
  let windowEndsAt: number | undefined;
  if (input.verification !== undefined && input.to !== undefined) {
    // The handle names the verification; a `to` beside it would be silently ignored.
    throw new AppError('invalid_request', { field: 'to', message: 'Send `verification` or `to`, not both.' });
  }
  if (input.verification !== undefined) {
    const handle = readHandle(config, serviceSid, input.verification);
    target = { verificationSid: handle.verificationSid };
    // The handle's `to` was normalised before it was sealed: mask it without parsing it again.
    masked = maskDestination(handle.to);
    destinationTo = handle.to;
    windowEndsAt = handle.expiresAt;
  } else {
    if (!config.checkByTo) {
      throw new AppError('invalid_request', {
        field: 'to',
        message: 'Checking by `to` is turned off here: send `verification`, the handle /start-verify answered with.',
      });
    }
    const to = input.to as string;
    const destination = resolveEitherDestination(to, input.country);
    target = { to: destination.to };
    destinationTo = destination.to;
    masked = destination.masked;
  }
  const verify = connect();
  let check: VerificationCheckInstance;
  try {
    check = await verifyService(verify, serviceSid).verificationChecks.create({ code: input.code, ...target });
  } catch (err) {
    const error = withLockoutWait(
      mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: verify.lastRetryAfter() }),
      verify,
      windowEndsAt,
      'code',
    );
    await recordLockout(store, config, destinationTo, error, verify.serverNow());
    throw error;
  }
  if (check.status === 'approved') {
    const result: CheckVerificationResult = { ok: true, status: 'approved', to: masked, channel: check.channel };
    // Verify's own `to` and `channel`: the destination and channel that were actually approved.
    if (tokens) result.token = await tokens.issue({ to: check.to, channel: check.channel });
    // The person is done with this destination: their next verification need not wait out a cooldown.
    await forgetSends(store, config, check.to);
    return result;
  }
  if (check.status === 'pending') {
    throw new AppError('incorrect_code', { field: 'code', extra: { status: 'pending' } });
  }
  // The 5th wrong code: the same lockout the 6th gets as Verify's 60202, so it says so too.
  if (check.status === 'max_attempts_reached') {
    const error = lockedOut(verify, windowEndsAt, 60202, 'code');
    // Starts during the lockout are then refused before Verify is asked (see recordLockout).
    await recordLockout(store, config, destinationTo, error, verify.serverNow());
    throw error;
  }
  // canceled / expired: nothing left to approve.
  throw new AppError('verification_not_found', { extra: { status: check.status } });
}
