import { AppError } from '../domain/app-error';
import { resolveDestination } from '../domain/destination';
import type { CheckVerifyInput } from '../domain/schemas/check-verify';
import type { ProofTokenIssuer } from '../tokens/proof-token';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

export interface CheckVerificationResult {
  ok: true;
  status: 'approved';
  sid: string;
  channel: string;
  /** Signed proof of verification, when TOKEN_SIGNING_KEY is set. */
  token?: string;
}

/** Checks a code. Only `approved` counts: a wrong code is a 200 `pending` from Verify. */
export async function checkVerification(
  connection: VerifyConnection,
  serviceSid: string,
  input: CheckVerifyInput,
  tokens?: ProofTokenIssuer,
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
    const result: CheckVerificationResult = { ok: true, status: 'approved', sid: check.sid, channel: check.channel };
    // Verify's own `to` and `channel`: the destination and channel that were actually approved.
    if (tokens) result.token = await tokens.issue({ to: check.to, channel: check.channel });
    return { masked: destination?.masked, result };
  }
  if (check.status === 'pending') {
    throw new AppError('incorrect_code', { field: 'code', extra: { status: 'pending' } });
  }
  // canceled / expired / max_attempts_reached: nothing left to approve.
  throw new AppError('verification_not_found', { extra: { status: check.status } });
}
