import { AppError } from '../domain/app-error';
import { resolveDestination } from '../domain/destination';
import type { CheckVerifyInput } from '../domain/schemas/check-verify';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

export interface CheckVerificationResult {
  ok: true;
  status: 'approved';
  sid: string;
  channel: string;
}

/** Checks a code. Only `approved` counts: a wrong code is a 200 `pending` from Verify. */
export async function checkVerification(
  connection: VerifyConnection,
  serviceSid: string,
  input: CheckVerifyInput,
): Promise<{ result: CheckVerificationResult; masked?: string }> {
  const destination =
    input.verificationSid === undefined && input.to !== undefined
      ? resolveDestination(input.to, input.to.includes('@') ? 'email' : 'sms', input.country)
      : undefined;
  let check;
  try {
    check = await verifyService(connection, serviceSid).verificationChecks.create({
      code: input.code,
      ...(input.verificationSid ? { verificationSid: input.verificationSid } : { to: destination?.to }),
    });
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
  }
  if (check.status === 'approved') {
    return { masked: destination?.masked, result: { ok: true, status: 'approved', sid: check.sid, channel: check.channel } };
  }
  if (check.status === 'pending') {
    throw new AppError('incorrect_code', { field: 'code', extra: { status: 'pending' } });
  }
  // canceled / expired / max_attempts_reached: nothing left to approve.
  throw new AppError('verification_not_found', { extra: { status: check.status } });
}
