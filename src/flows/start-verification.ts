import type { Config } from '../config';
import type { DestinationPolicy } from '../domain/destination-policy';
import { isPhoneChannel } from '../domain/channels';
import { resolveDestination } from '../domain/destination';
import type { StartVerifyInput } from '../domain/schemas/start-verify';
import type { VerifyConnection } from '../verify/verify-client';
import { assertCooldownOver, attemptOffset, describeSend, findPending, sendCode, sendRequest, type Reachability, type SentResult } from './send-code';

/**
 * Other destinations the caller offered for fallback, checked like `to`: a `phone` outside the
 * allowed countries or of a type refused for every channel is refused now (field `phone`), not
 * when a resend reaches it. It is checked as for a call, the most permissive phone channel;
 * refusals that depend on the channel (a landline for SMS) still come at the resend.
 */
export function fallbackReach(input: { phone?: string; email?: string; country?: string }, policy?: DestinationPolicy): Reachability {
  return {
    phone: input.phone !== undefined ? resolveDestination(input.phone, 'call', input.country, policy, 'phone').to : undefined,
    email: input.email !== undefined ? resolveDestination(input.email, 'email', undefined, undefined, 'email').to : undefined,
  };
}

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
): Promise<{ result: SentResult; masked: string }> {
  const destination = resolveDestination(input.to, input.channel, input.country, config);
  const reach = { ...fallbackReach(input, config), ...(isPhoneChannel(input.channel) ? { phone: destination.to } : { email: destination.to }) };
  const request = sendRequest(destination, input.channel, input);
  const pending = await findPending(connection, serviceSid, destination.to);
  const before = assertCooldownOver(connection, pending, config);
  const verification = await sendCode(connection, serviceSid, request, config);
  const offset = attemptOffset(verification, pending, before);
  return { masked: destination.masked, result: describeSend(connection, serviceSid, verification, request, reach, offset, config) };
}
