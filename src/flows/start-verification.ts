import type { Config } from '../config';
import { rateLimitValues } from '../domain/rate-limits';
import type { StartVerifyInput } from '../domain/schemas';
import { resolveDestination } from '../domain/destination';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

export interface StartVerificationResult {
  ok: true;
  sid: string;
  /** Masked: the caller knows the number, logs and bystanders need not. */
  to: string;
  channel: string;
  status: string;
  sendCodeAttempts: number;
}

/** Sends (or re-sends) a code. Verify keeps one pending verification and code per `to`. */
export async function startVerification(
  connection: VerifyConnection,
  serviceSid: string,
  input: StartVerifyInput,
  config: Pick<Config, 'allowedCountries' | 'rateLimits'>,
): Promise<{ result: StartVerificationResult; masked: string }> {
  const destination = resolveDestination(input.to, input.channel, input.country, config);
  const rateLimits = config.rateLimits ? rateLimitValues(destination.prefix, input.clientKey) : {};
  try {
    const verification = await verifyService(connection, serviceSid).verifications.create({
      to: destination.to,
      channel: input.channel,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(Object.keys(rateLimits).length > 0 ? { rateLimits } : {}),
    });
    return {
      masked: destination.masked,
      result: {
        ok: true,
        sid: verification.sid,
        to: destination.masked,
        channel: input.channel,
        status: verification.status,
        sendCodeAttempts: Array.isArray(verification.sendCodeAttempts) ? verification.sendCodeAttempts.length : 1,
      },
    };
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}
