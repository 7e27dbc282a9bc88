import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import { resolveChannel, type Channel } from '../domain/channels';
import { reachableChannels, reachWith, readAttempts, resendSchedule } from '../domain/send-schedule';
import type { VerificationHandle } from '../security/verification-handle';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { goneOrLocked } from './lockout';

// What resend and status share about a handle's verification. Apart from send-code.ts so
// /verification-status does not bundle destination parsing (libphonenumber) it never runs.

/**
 * The handle's verification, from one fetch (Verify allows 60 per minute per verification).
 * Gone from fetch means finished (404) or locked after 5 wrong codes (429 until its window ends).
 */
async function fetchPending(
  connection: VerifyConnection,
  serviceSid: string,
  handle: VerificationHandle,
): Promise<VerificationInstance> {
  try {
    return await verifyService(connection, serviceSid).verifications(handle.verificationSid).fetch();
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code !== 'verification_not_found') throw error;
    throw await goneOrLocked(connection, serviceSid, handle.verificationSid, handle.expiresAt);
  }
}

/**
 * The handle's pending verification and where it stands: what was sent, what we can reach,
 * when and on which channel the next code may go out (one fetch).
 */
export async function openPending(
  connection: VerifyConnection,
  serviceSid: string,
  handle: VerificationHandle,
  config: Config,
) {
  const verification = await fetchPending(connection, serviceSid, handle);
  // The handle carries its own destination and those offered at start.
  const reach = reachWith(handle, handle.channel, handle);
  const canReach = reachableChannels(reach);
  const attempts = readAttempts(verification.sendCodeAttempts);
  const current: Channel = resolveChannel(verification.channel) ?? handle.channel;
  const schedule = resendSchedule(attempts, current, connection.serverNow(), config, canReach);
  return { verification, reach, canReach, attempts, current, schedule };
}
