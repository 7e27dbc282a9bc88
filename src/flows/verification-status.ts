import type { Config } from '../config';
import { resolveChannel } from '../domain/channels';
import { reachableChannels } from '../domain/channel-order';
import { resolveDestination } from '../domain/destination';
import { readAttempts, resendSchedule } from '../domain/resend-schedule';
import type { VerificationStatusInput } from '../domain/schemas';
import type { VerifyConnection } from '../verify/verify-client';
import { fetchPending, knownReach } from './resend-verification';

export interface StatusResult {
  ok: true;
  sid: string;
  status: string;
  to: string;
  attempts: Array<{ channel: string; time: string }>;
  retryAfter: number;
  nextChannel?: string;
}

/** A pending verification's status and send attempts, from one fetch. */
export async function verificationStatus(
  connection: VerifyConnection,
  serviceSid: string,
  input: VerificationStatusInput,
  config: Config,
): Promise<{ result: StatusResult; masked: string }> {
  const verification = await fetchPending(connection, serviceSid, input.verificationSid);
  const attempts = readAttempts(verification.sendCodeAttempts);
  const current = resolveChannel(verification.channel) ?? 'sms';
  const schedule = resendSchedule(attempts, current, connection.serverNow(), config, reachableChannels(knownReach(verification, input)));
  const masked = resolveDestination(verification.to, verification.to.includes('@') ? 'email' : 'call').masked;
  return {
    masked,
    result: {
      ok: true,
      sid: verification.sid,
      status: verification.status,
      to: masked,
      attempts: attempts.map((a) => ({ channel: a.channel ?? 'unknown', time: new Date(a.time).toISOString().replace(/\.\d{3}Z$/, 'Z') })),
      retryAfter: schedule.retryAfter,
      ...(schedule.nextChannel ? { nextChannel: schedule.nextChannel } : {}),
    },
  };
}
