import { reachWith } from '../domain/send-schedule';
import { resolveDestination } from '../domain/destination';
import type { StartVerifyInput } from '../domain/schemas/start-verify';
import {
  assertCooldownOver,
  attemptOffset,
  describeSend,
  fallbackReach,
  findPending,
  sendFreshCode,
  sendRequest,
  type SentResult,
} from './send-code';
import type { FlowContext } from './flow-context';

/**
 * Sends a code. Every send to a destination, whoever asks, first claims its turn in the store
 * (the cooldown and the cap per window hold under any concurrency and across cancels). A start
 * never joins a code someone else asked for: Verify keeps one pending verification per `to`, so
 * a pending one is cancelled and this caller gets a new code with a window of its own, and its
 * answer (`expiresIn`, counts) tells nothing about the earlier caller.
 */
export async function startVerification(
  { config, serviceSid, connect, store }: FlowContext,
  input: StartVerifyInput,
): Promise<SentResult> {
  const connection = connect();
  const destination = resolveDestination(input.to, input.channel, input.country, config);
  const reach = reachWith(fallbackReach(input, config), input.channel, destination);
  const request = sendRequest(destination, input.channel, input);
  const pending = await findPending(connection, serviceSid, destination.to);
  const before = await assertCooldownOver(connection, store, pending, config);
  const { verification, nextWait } = await sendFreshCode(connection, store, serviceSid, request, config, pending);
  const offset = attemptOffset(verification, pending, before);
  return describeSend(connection, serviceSid, verification, request, reach, offset, config, nextWait);
}
