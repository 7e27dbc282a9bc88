import type { Config } from '../config';
import { resolveDestination } from '../domain/destination';
import type { VerificationStatusInput } from '../domain/schemas/verification-status';
import type { VerifyConnection } from '../verify/verify-client';
import { fetchPending, pendingSchedule } from './resend-verification';

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
  const { attempts, schedule } = pendingSchedule(connection, verification, input, config);
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
