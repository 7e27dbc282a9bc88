import type { Config } from '../config';
import { resolveDestination } from '../domain/destination';
import { isPhoneChannel } from '../domain/channels';
import type { VerificationHandle } from '../security/verification-handle';
import type { VerifyConnection } from '../verify/verify-client';
import { fetchPending, pendingSchedule } from './resend-verification';

export interface StatusResult {
  ok: true;
  status: string;
  to: string;
  channel: string;
  /** This caller's sends only (another caller's sends to the same destination are not shown). */
  attempts: Array<{ channel: string; time: string }>;
  retryAfter: number;
  nextChannel?: string;
}

/** A pending verification's status and send attempts, from one fetch. */
export async function verificationStatus(
  connection: VerifyConnection,
  serviceSid: string,
  handle: VerificationHandle,
  config: Config,
): Promise<{ result: StatusResult; masked: string }> {
  const verification = await fetchPending(connection, serviceSid, handle);
  const { attempts, schedule } = pendingSchedule(connection, verification, handle, config);
  const masked = resolveDestination(handle.to, isPhoneChannel(handle.channel) ? 'call' : 'email').masked;
  return {
    masked,
    result: {
      ok: true,
      status: verification.status,
      to: masked,
      channel: handle.channel,
      attempts: attempts.slice(handle.attemptOffset).map((a) => ({ channel: a.channel ?? 'unknown', time: new Date(a.time).toISOString().replace(/\.\d{3}Z$/, 'Z') })),
      retryAfter: schedule.retryAfter,
      ...(schedule.nextChannel ? { nextChannel: schedule.nextChannel } : {}),
    },
  };
}
