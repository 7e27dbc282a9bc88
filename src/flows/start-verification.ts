import type { Config } from '../config';
import { reachWith } from '../domain/send-schedule';
import { resolveDestination } from '../domain/destination';
import type { StartVerifyInput } from '../domain/schemas/start-verify';
import type { VerifyConnection } from '../verify/verify-client';
import { assertCooldownOver, attemptOffset, describeSend, fallbackReach, findPending, sendCode, sendRequest, type SentResult } from './send-code';

/**
 * Sends a code. Verify keeps one pending verification and code per `to`, and a send while one
 * is pending is a resend whoever asks: it waits for the destination's cooldown, and the
 * caller's handle and counts cover only its own sends.
 */
export async function startVerification(
  connection: VerifyConnection,
  serviceSid: string,
  input: StartVerifyInput,
  config: Config,
): Promise<{ body: SentResult; to: string }> {
  const destination = resolveDestination(input.to, input.channel, input.country, config);
  const reach = reachWith(fallbackReach(input, config), input.channel, destination.to);
  const request = sendRequest(destination, input.channel, input);
  const pending = await findPending(connection, serviceSid, destination.to);
  const before = assertCooldownOver(connection, pending, config);
  const verification = await sendCode(connection, serviceSid, request, config);
  const offset = attemptOffset(verification, pending, before);
  return { body: describeSend(connection, serviceSid, verification, request, reach, offset, config), to: destination.masked };
}
