import type { Twilio } from 'twilio';
import type { ServiceContext } from 'twilio/lib/rest/verify/v2/service';
import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { isLoopbackHost } from '../http/request';
import { createEmulatorHttpClient, type HttpClientWithHeaders } from './emulator-http-client';

/** What the Functions runtime (and twilio-run) hands every function as `context`. */
export interface TwilioClientFactory {
  getTwilioClient(options?: Record<string, unknown>): Twilio;
}

export interface VerifyConnection {
  client: Twilio;
  /** Seconds from the last answer's Retry-After header, if the transport kept it. */
  lastRetryAfter(): number | undefined;
  /**
   * Verify's clock (the last answer's Date header), else ours. Cooldowns are measured
   * against the same clock that stamped the send attempts, so runtime clock skew (or the
   * emulator's movable clock) cannot shorten or lengthen them.
   */
  serverNow(): number;
  /** A header of the last answer (lower-case name), if the transport kept it. */
  lastHeader(name: string): string | undefined;
}

function retryAfterFrom(headers: Record<string, unknown> | undefined): number | undefined {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

/**
 * Opens the Twilio client the runtime provides: against real Twilio, or against the local
 * emulator when VERIFY_EMULATOR_HOST is set — but only while served from loopback, so a
 * deployed function can never be pointed at an emulator.
 */
export function connectVerify(context: TwilioClientFactory, config: Config): VerifyConnection {
  let transport: HttpClientWithHeaders | undefined;
  if (config.emulatorHost) {
    if (!isLoopbackHost(config.domainName ?? '') || !isLoopbackHost(config.emulatorHost)) {
      throw new AppError('server_misconfigured', {
        message: 'VERIFY_EMULATOR_HOST is only allowed when served from and pointing at localhost.',
      });
    }
    transport = createEmulatorHttpClient(config.emulatorHost, config.timeoutMs);
  }
  let client: Twilio;
  try {
    client = context.getTwilioClient(transport ? { httpClient: transport } : { timeout: config.timeoutMs });
  } catch {
    // twilio-run throws here when ACCOUNT_SID / AUTH_TOKEN are missing or malformed.
    throw new AppError('server_misconfigured', {
      message: 'ACCOUNT_SID and AUTH_TOKEN are missing or malformed.',
    });
  }
  const lastHeaders = () => {
    const http = (transport ?? client.httpClient) as
      | { lastResponse?: { headers?: Record<string, unknown> } }
      | undefined;
    return http?.lastResponse?.headers;
  };
  return {
    client,
    lastRetryAfter: () => retryAfterFrom(lastHeaders()),
    lastHeader: (name) => {
      const headers = lastHeaders();
      const value = headers?.[name] ?? Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
      return typeof value === 'string' ? value : undefined;
    },
    serverNow: () => {
      const headers = lastHeaders();
      const date = Date.parse(String(headers?.date ?? headers?.Date ?? ''));
      return Number.isFinite(date) ? date : Date.now();
    },
  };
}

export function verifyService(connection: VerifyConnection, serviceSid: string): ServiceContext {
  return connection.client.verify.v2.services(serviceSid);
}
