import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import { isPhoneChannel, resolveChannel, type Channel } from '../domain/channels';
import { reachableChannels } from '../domain/channel-order';
import { resolveDestination } from '../domain/destination';
import { readAttempts, resendSchedule } from '../domain/resend-schedule';
import type { ResendVerifyInput } from '../domain/schemas/resend-verify';
import type { VerificationStatusInput } from '../domain/schemas/verification-status';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { describeSend, sendCode, sendRequest, type Reachability, type SentResult } from './send-code';
import { fallbackReach } from './start-verification';

/** One fetch per request: Verify allows 60 fetches per minute per verification. */
export async function fetchPending(connection: VerifyConnection, serviceSid: string, verificationSid: string): Promise<VerificationInstance> {
  try {
    return await verifyService(connection, serviceSid).verifications(verificationSid).fetch();
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
  }
}

/** The destinations we know: the verification's own plus any the caller offered. */
export function knownReach(verification: VerificationInstance, input: VerificationStatusInput): Reachability {
  const own = verification.to.includes('@') ? { email: verification.to } : { phone: verification.to };
  return { ...fallbackReach(input), ...own };
}

/** Where a fetched verification stands: what was sent, what we can reach, when to resend. */
export function pendingSchedule(connection: VerifyConnection, verification: VerificationInstance, input: VerificationStatusInput, config: Config) {
  const reach = knownReach(verification, input);
  const canReach = reachableChannels(reach);
  const attempts = readAttempts(verification.sendCodeAttempts);
  const current: Channel = resolveChannel(verification.channel) ?? 'sms';
  const schedule = resendSchedule(attempts, current, connection.serverNow(), config, canReach);
  return { reach, canReach, attempts, current, schedule };
}

/**
 * Re-sends a code after the cooldown, on the next channel of the fallback order (or the one
 * asked for). Early requests get `resend_too_soon` with the exact wait.
 */
export async function resendVerification(
  connection: VerifyConnection,
  serviceSid: string,
  input: ResendVerifyInput,
  config: Config,
): Promise<{ result: SentResult; masked: string }> {
  const verification = await fetchPending(connection, serviceSid, input.verificationSid);
  const { reach, canReach, attempts, current, schedule } = pendingSchedule(connection, verification, input, config);
  if (schedule.retryAfter > 0) throw new AppError('resend_too_soon', { retryAfter: schedule.retryAfter });

  const lastChannel: Channel = attempts[attempts.length - 1]?.channel ?? current;
  const channel = input.channel ?? schedule.nextChannel ?? lastChannel;
  if (input.channel && !config.channelFallback.includes(input.channel) && input.channel !== lastChannel) {
    throw new AppError('unsupported_channel', { field: 'channel', message: '`channel` is not in this deployment\'s fallback order.' });
  }
  if (!canReach(channel)) {
    const field = isPhoneChannel(channel) ? 'phone' : 'email';
    throw new AppError('invalid_request', { field, message: `Give \`${field}\` to receive a code by ${channel}.` });
  }
  const target = isPhoneChannel(channel) ? (reach.phone as string) : (reach.email as string);
  const destination = resolveDestination(target, channel, undefined, config);
  const request = sendRequest(destination, channel, input);
  const sent = await sendCode(connection, serviceSid, request, config);
  return { masked: destination.masked, result: describeSend(connection, sent, request, reach, config) };
}
