import { AppError } from '../domain/app-error';
import { isPhoneChannel, type Channel } from '../domain/channels';
import type { PhoneFacts } from '../domain/destination-policy';
import { emailDestination, phoneDestination } from '../domain/known-destination';
import { readAttempts } from '../domain/send-schedule';
import { verifyService } from '../verify/verify-client';
import type { ResendVerifyInput } from '../domain/schemas/resend-verify';
import { latestSendFailed, sendAttemptSids } from './delivery';
import type { FlowContext } from './flow-context';
import { readHandle } from './handles';
import { openPending } from './pending';
import { spendFailedSend } from './send-lock';
import {
  assertCooldownOver,
  tooSoon,
  attemptOffset,
  describeSend,
  findPending,
  sendClaimedCode,
  sendFreshCode,
  sendRequest,
  type SentResult,
} from './send-code';

/**
 * Re-sends a code after the cooldown, on the next channel of the fallback order (or the one
 * asked for). Early requests get `resend_too_soon` with the exact wait, unless the latest send
 * did not arrive and this one switches channel (then at once); a fallback to another
 * destination also waits for that destination's own schedule. Every send claims its turn in the
 * store first, so racing resends get one code per cooldown, and one early switch per failed send.
 */
export async function resendVerification(
  { config, serviceSid, connect, store }: FlowContext,
  input: ResendVerifyInput,
): Promise<SentResult> {
  const handle = readHandle(config, serviceSid, input.verification);
  const connection = connect();
  const { verification, reach, canReach, attempts, current, schedule } = await openPending(
    connection,
    serviceSid,
    handle,
    config,
  );
  const lastChannel: Channel = attempts[attempts.length - 1]?.channel ?? current;
  const channel = input.channel ?? schedule.nextChannel ?? lastChannel;
  if (input.channel && !config.channelFallback.includes(input.channel) && input.channel !== lastChannel) {
    throw new AppError('unsupported_channel', {
      field: 'channel',
      message: "`channel` is not in this deployment's fallback order.",
    });
  }
  if (!canReach(channel)) {
    const field = isPhoneChannel(channel) ? 'phone' : 'email';
    throw new AppError('invalid_request', {
      field: 'channel',
      message: `No ${field} was given at start to receive a code by ${channel}.`,
    });
  }
  // Both were normalised and checked at start; the number is checked again for this channel
  // (a landline took a call, not an SMS) from the facts the handle carries.
  const destination = isPhoneChannel(channel)
    ? phoneDestination(reach.phone as string, reach.phoneFacts as PhoneFacts, channel, config)
    : emailDestination(reach.email as string);
  // Early is refused, except a switch to another channel when the latest send (this caller's)
  // is known not to have arrived: the person should not wait out a cooldown for nothing. Only a
  // request that could send spends the failed send, and one that sends nothing gives it back.
  const early = schedule.retryAfter > 0;
  const failedSend =
    early && channel !== lastChannel && (await latestSendFailed(connection, handle, verification.sendCodeAttempts))
      ? await spendFailedSend(store, config, sendAttemptSids(verification.sendCodeAttempts).at(-1) as string)
      : undefined;
  if (early && !failedSend?.won) throw await tooSoon(connection, store, config, handle.to, schedule.retryAfter);
  const sameDestination = destination.to === handle.to;
  const send = async () => {
    const request = sendRequest(destination, channel, input);
    // Another destination (the email or phone fallback) has its own pending verification and schedule.
    const pending = sameDestination ? verification : await findPending(connection, serviceSid, destination.to);
    // Someone else sent since this handle was issued: this caller's view restarts at its new send,
    // so its counts never take in another person's sends.
    const before = sameDestination
      ? attempts.length > handle.knownAttempts
        ? attempts.length
        : handle.attemptOffset
      : await assertCooldownOver(connection, store, pending, config);
    // The other destination's pending code (someone else's) is replaced, never joined.
    const { verification: sent, nextWait } = sameDestination
      ? await sendClaimedCode(connection, store, serviceSid, request, config, {
          early,
          windowEndsAt: handle.expiresAt,
        })
      : await sendFreshCode(connection, store, serviceSid, request, config, pending);
    const offset = sameDestination ? before : attemptOffset(sent, pending, before);
    return { sent, request, offset, nextWait };
  };
  const { sent, request, offset, nextWait } = await send().catch(async (err: unknown) => {
    await failedSend?.giveBack();
    throw err;
  });
  if (sameDestination && sent.sid !== verification.sid) {
    // The handle's verification ended between the fetch and the send (a cancel or an approval
    // racing this resend, or its expiry), so the send went to another verification: a resend
    // never does (one after the end is 404). One this send opened (its only attempt) is
    // cancelled at once; one someone else opened meanwhile is theirs, and kept. The send counts.
    if (readAttempts(sent.sendCodeAttempts).length === 1)
      await verifyService(connection, serviceSid)
        .verifications(sent.sid)
        .update({ status: 'canceled' })
        .catch(() => undefined);
    throw new AppError('verification_not_found');
  }
  // Sent: describing it can fail without giving the failed send back.
  return describeSend(connection, serviceSid, sent, request, reach, offset, config, nextWait);
}
