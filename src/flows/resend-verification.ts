import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import { isPhoneChannel, resolveChannel, type Channel } from '../domain/channels';
import { reachableChannels } from '../domain/channel-order';
import { resolveDestination } from '../domain/destination';
import { readAttempts, resendSchedule } from '../domain/resend-schedule';
import type { ResendVerifyInput } from '../domain/schemas/resend-verify';
import type { VerificationHandle } from '../security/verification-handle';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { goneOrLocked } from './lockout';
import { assertCooldownOver, attemptOffset, describeSend, findPending, sendCode, sendRequest, type Reachability, type SentResult } from './send-code';

/**
 * The handle's verification, from one fetch (Verify allows 60 per minute per verification).
 * Gone from fetch means finished (404) or locked after 5 wrong codes (429 until its window ends).
 */
export async function fetchPending(connection: VerifyConnection, serviceSid: string, handle: VerificationHandle): Promise<VerificationInstance> {
  try {
    return await verifyService(connection, serviceSid).verifications(handle.verificationSid).fetch();
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code !== 'verification_not_found') throw error;
    throw await goneOrLocked(connection, serviceSid, handle.verificationSid, handle.expiresAt);
  }
}

/** The destinations the handle carries: its own plus those offered at start. */
export function handleReach(handle: VerificationHandle): Reachability {
  const own = isPhoneChannel(handle.channel) ? { phone: handle.to } : { email: handle.to };
  return { phone: handle.phone, email: handle.email, ...own };
}

/** Where a fetched verification stands: what was sent, what we can reach, when to resend. */
export function pendingSchedule(connection: VerifyConnection, verification: VerificationInstance, handle: VerificationHandle, config: Config) {
  const reach = handleReach(handle);
  const canReach = reachableChannels(reach);
  const attempts = readAttempts(verification.sendCodeAttempts);
  const current: Channel = resolveChannel(verification.channel) ?? handle.channel;
  const schedule = resendSchedule(attempts, current, connection.serverNow(), config, canReach);
  return { reach, canReach, attempts, current, schedule };
}

/**
 * Re-sends a code after the cooldown, on the next channel of the fallback order (or the one
 * asked for). Early requests get `resend_too_soon` with the exact wait; a fallback to another
 * destination also waits for that destination's own schedule.
 */
export async function resendVerification(
  connection: VerifyConnection,
  serviceSid: string,
  handle: VerificationHandle,
  input: ResendVerifyInput,
  config: Config,
): Promise<{ result: SentResult; masked: string }> {
  const verification = await fetchPending(connection, serviceSid, handle);
  const { reach, canReach, attempts, current, schedule } = pendingSchedule(connection, verification, handle, config);
  if (schedule.retryAfter > 0) throw new AppError('resend_too_soon', { retryAfter: schedule.retryAfter });

  const lastChannel: Channel = attempts[attempts.length - 1]?.channel ?? current;
  const channel = input.channel ?? schedule.nextChannel ?? lastChannel;
  if (input.channel && !config.channelFallback.includes(input.channel) && input.channel !== lastChannel) {
    throw new AppError('unsupported_channel', { field: 'channel', message: '`channel` is not in this deployment\'s fallback order.' });
  }
  if (!canReach(channel)) {
    const field = isPhoneChannel(channel) ? 'phone' : 'email';
    throw new AppError('invalid_request', { field: 'channel', message: `No ${field} was given at start to receive a code by ${channel}.` });
  }
  const target = isPhoneChannel(channel) ? (reach.phone as string) : (reach.email as string);
  const destination = resolveDestination(target, channel, undefined, config);
  const request = sendRequest(destination, channel, input);
  const sameDestination = destination.to === handle.to;
  // Another destination (the email or phone fallback) has its own pending verification and schedule.
  const pending = sameDestination ? verification : await findPending(connection, serviceSid, destination.to);
  const before = sameDestination ? handle.attemptOffset : assertCooldownOver(connection, pending, config);
  const sent = await sendCode(connection, serviceSid, request, config, sameDestination ? handle.expiresAt : undefined);
  const offset = sameDestination && sent.sid === verification.sid ? before : attemptOffset(sent, pending, before);
  return { masked: destination.masked, result: describeSend(connection, serviceSid, sent, request, reach, offset, config) };
}
