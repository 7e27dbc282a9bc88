import { nextFallbackChannel } from '../domain/send-schedule';
import { maskDestination } from '../domain/mask';
import { deliveryStates, sendAttemptSids } from './delivery';
import type { FlowContext } from './flow-context';
import { failedSendSkipsCooldown, ownAttemptRange, readHandle } from './handles';
import { openPending } from './pending';
import { destinationWait } from './send-lock';
import { heldRefusal } from '../domain/send-record';
import { meterStatusPoll } from './status-poll-limit';
import type * as z from 'zod/mini';
import type { statusResponse } from '../contract/responses';

type StatusAttempt = StatusResult['attempts'][number];

export type StatusResult = z.output<ReturnType<typeof statusResponse>>;

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A pending verification's status, this caller's sends with their delivery states, and when
 * (and on which channel) the next code may go out. Polls are metered across instances first
 * (status-poll-limit.ts); then two Verify calls: the fetch first, so a poll spends one of
 * Verify's fetches of this verification before the Attempts API is asked.
 */
export async function verificationStatus(
  { config, serviceSid, connect, store }: FlowContext,
  input: { verification: string },
): Promise<StatusResult> {
  const handle = readHandle(config, serviceSid, input.verification);
  await meterStatusPoll(store, config, handle.verificationSid);
  const connection = connect();
  const { verification, attempts, canReach, schedule } = await openPending(connection, serviceSid, handle, config);
  const now = connection.serverNow();
  // The destination's record: the schedule the next send's claim enforces (every caller's sends,
  // a lockout, the cap), read beside the Attempts page.
  const [states, destination] = await Promise.all([
    deliveryStates(connection, handle.verificationSid),
    destinationWait(store, config, handle.to, now),
  ]);
  const retryAfter = Math.max(schedule.retryAfter, destination.wait);
  // An early switch skips the cooldown, never a lockout or the cap.
  const heldWait = heldRefusal(destination.record, now)?.retryAfter ?? 0;
  const sids = sendAttemptSids(verification.sendCodeAttempts);
  const mine: StatusAttempt[] = [];
  const own = ownAttemptRange(handle, attempts.length);
  for (let i = own.from; i < own.to; i += 1) {
    const sid = sids[i];
    mine.push({
      channel: attempts[i].channel ?? 'unknown',
      time: isoSeconds(attempts[i].time),
      delivery: (sid && states.get(sid)) || 'unknown',
    });
  }
  const latest = mine[mine.length - 1];
  // The destination's latest send is this caller's and did not arrive: the next channel after
  // it goes at once; the same channel keeps its cooldown.
  const failedChannel =
    latest && failedSendSkipsCooldown(handle, attempts.length, latest.delivery)
      ? attempts[attempts.length - 1].channel
      : undefined;
  const nextChannel = failedChannel
    ? nextFallbackChannel(config.channelFallback, failedChannel, canReach)
    : schedule.nextChannel;
  return {
    ok: true,
    status: verification.status,
    to: maskDestination(handle.to),
    channel: handle.channel,
    attempts: mine,
    delivery: latest?.delivery ?? 'unknown',
    retryAfter,
    ...(nextChannel ? { nextChannel, nextChannelRetryAfter: failedChannel ? heldWait : retryAfter } : {}),
  };
}
